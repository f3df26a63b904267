"""The bridge's OpenAPI 3.1 document, generated from the pydantic models of schema.py.

`paths` is what the bot serves; `webhooks` is what the bot posts to the connector.
Regenerate docs/bridge-openapi.json with `python -m bot.platforms.bridge.openapi`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic.json_schema import models_json_schema

from bot.platforms.bridge import schema
from bot.platforms.bridge.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER

REF = "#/components/schemas/{model}"
SAVED = Path(__file__).resolve().parents[3] / "docs" / "bridge-openapi.json"

_ERRORS = {
    "400": "Malformed JSON (error: malformed_json)",
    "401": "Missing or bad signature, or a timestamp more than 5 minutes away "
    "(missing_signature, bad_signature, stale_timestamp)",
    "403": "Signed with one platform's secret for another platform (platform_mismatch)",
    "409": "This message_id / press_id / event_id was already received (duplicate): done",
    "413": "Body over the size limit (too_large)",
    "422": "JSON that is not a valid update; `details` lists each problem (invalid_update)",
}


def _signed_headers() -> list[dict]:
    return [
        {
            "name": TIMESTAMP_HEADER,
            "in": "header",
            "required": True,
            "description": "Unix seconds when the request was signed",
            "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"},
        },
        {
            "name": SIGNATURE_HEADER,
            "in": "header",
            "required": True,
            "description": "sha256=<hex HMAC-SHA256(secret, timestamp + '.' + raw body)>",
            "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
        },
    ]


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": REF.format(model=ref)}}}


def document() -> dict:
    """The whole OpenAPI document as a dict."""
    models = [
        schema.MessageUpdate,
        schema.PressUpdate,
        schema.MembershipUpdate,
        schema.Accepted,
        schema.Problem,
        schema.Delivery,
        schema.Receipt,
    ]
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    components = defs["$defs"]
    kinds = ("MessageUpdate", "PressUpdate", "MembershipUpdate")
    components["Update"] = {
        "oneOf": [{"$ref": REF.format(model=k)} for k in kinds],
        "discriminator": {
            "propertyName": "type",
            "mapping": {k.removesuffix("Update").lower(): REF.format(model=k) for k in kinds},
        },
    }
    problem = {
        code: {"description": text, "content": _json("Problem")} for code, text in _ERRORS.items()
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bot bridge",
            "version": "1",
            "description": "How a messenger connector (Mocha, …) talks to the bot. "
            "See docs/bridge.md.",
        },
        "paths": {
            "/bridge/v1/updates": {
                "post": {
                    "operationId": "postUpdate",
                    "summary": "A message, button press or membership change from a connector",
                    "parameters": _signed_headers(),
                    "requestBody": {"required": True, "content": _json("Update")},
                    "responses": {
                        "202": {"description": "Accepted", "content": _json("Accepted")},
                        **problem,
                    },
                }
            }
        },
        "webhooks": {
            "delivery": {
                "post": {
                    "operationId": "postDelivery",
                    "summary": "The bot posts a reply, broadcast, edit, press answer or pin "
                    "to the connector's configured URL, signed the same way",
                    "parameters": _signed_headers(),
                    "requestBody": {"required": True, "content": _json("Delivery")},
                    "responses": {
                        "200": {"description": "Delivered", "content": _json("Receipt")},
                        "404": {"description": "With error chat_not_found: the chat is gone"},
                        "410": {"description": "The chat is gone"},
                        "429": {"description": "Slow down (Retry-After seconds); not delivered"},
                        "503": {"description": "Not delivered; retried with the same delivery_id"},
                    },
                }
            }
        },
        "components": {"schemas": components},
    }


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    SAVED.parent.mkdir(parents=True, exist_ok=True)
    SAVED.write_text(render(), encoding="utf-8")
    print(f"wrote {SAVED}", file=sys.stderr)
