"""Helpers for end-to-end tests: find the bot's replies in what the stub recorded."""

from __future__ import annotations

from testkit import BotApiStub, Call

ADMIN = 1001
MEMBER = 2002
GROUP = -500


def replies_to(stub: BotApiStub, chat_id: int, message_id: int) -> list[Call]:
    """Successful sendMessage calls answering one message."""
    found = []
    for call in stub.calls_to("sendMessage"):
        reply = call.params.get("reply_parameters") or {}
        if (
            call.ok
            and int(call.params["chat_id"]) == chat_id
            and reply.get("message_id") == message_id
        ):
            found.append(call)
    return found


async def ask(stub: BotApiStub, chat_id: int, user_id: int, text: str, **kw) -> Call:
    """Push a message and wait for the bot's one reply to it."""
    message = stub.push_message(chat_id, user_id, text, **kw)["message"]
    mid = message["message_id"]
    [call] = await stub.wait_for_async(lambda: replies_to(stub, chat_id, mid), timeout=10)
    return call


def text_of(call: Call) -> str:
    """The text of a sent message as members read it (entities parsed away)."""
    return call.result["text"]


def buttons_of(call: Call) -> list[dict]:
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def eventually(predicate, timeout: float = 5.0):
    """Poll a condition the stub cannot signal (the database) until it holds."""
    import asyncio

    async with asyncio.timeout(timeout):
        while not (result := predicate()):
            await asyncio.sleep(0.01)
        return result
