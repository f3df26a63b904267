"""The HTTP bridge: Mocha and other messengers through a connector the organisation runs.

signing   HMAC-SHA256 headers, both directions
schema    the wire format (pydantic), source of the OpenAPI document (openapi)
endpoint  POST /bridge/v1/updates -> the Assistant; replay guards against repeats
client    signed posts to the connector, retries, outcomes as DeliveryErrors
platform  BridgePlatform: the Platform port over the client
wiring    building it all from Settings
"""
