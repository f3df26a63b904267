"""Approval requests reach the approvers of every platform, bridge admins included, in the
private chat docs/bridge.md says the bot uses ("Writing to a member privately")."""

from __future__ import annotations

from bridge_helpers import ADMIN, MODERATOR
from sqlalchemy import select

from bot.broadcast.models import Post

OTHER_ADMIN = "84900000009"  # a bridge admin who never wrote to the bot


def to_user(receiver, user_id: str) -> list[dict]:
    """What a connector built from the docs hands to this member: deliveries naming them."""
    return [b for b in receiver.sends() if b.get("user_id") == user_id]


async def test_a_moderators_post_is_put_to_every_bridge_admin_with_buttons(
    bridge_settings, bridge_kb, receiver
):
    from bot.app import build_services
    from bot.runtime import serving
    from testkit.bridge_connector import Connector

    mocha = bridge_settings.bridge_platforms["mocha"]
    mocha = mocha.model_copy(update={"admin_ids": [ADMIN, OTHER_ADMIN]})
    settings = bridge_settings.model_copy(
        update={"bridge_platforms": {**bridge_settings.bridge_platforms, "mocha": mocha}}
    )
    services = build_services(settings, knowledge=bridge_kb)
    async with (
        serving(settings, services) as running,
        Connector(running.url, receiver.secret) as connector,
    ):
        # the admin once wrote privately from chat "p-admin": the bot learns where that is
        await connector.say("p-admin", ADMIN, "/giup")
        await receiver.wait_for(lambda: receiver.sends("p-admin"))
        await connector.say(f"u{MODERATOR}", MODERATOR, "/soan <b>Tin</b> cần duyệt")
        await receiver.wait_for(lambda: len(to_user(receiver, ADMIN)) >= 2, timeout=15)
        await receiver.wait_for(lambda: len(to_user(receiver, OTHER_ADMIN)) >= 2, timeout=15)

        preview, request = to_user(receiver, ADMIN)
        assert preview["chat_id"] == request["chat_id"] == "p-admin"
        assert preview["html"] == "<b>Tin</b> cần duyệt"
        ok = [b for row in request["buttons"] for b in row if b["text"].startswith("✅")]
        assert ok and ok[0]["data"].startswith("bc:ok:1:")
        # never seen privately: the user id stands for the chat, and user_id says who
        assert {b["chat_id"] for b in to_user(receiver, OTHER_ADMIN)} == {OTHER_ADMIN}
        assert not to_user(receiver, MODERATOR)  # the author is not asked to approve

        # the admin presses ✅ in the private chat the request came to: the post is approved
        press = {
            "type": "press",
            "chat_id": "p-admin",
            "user_id": ADMIN,
            "message_id": "bot-request",  # whichever id the connector gave it
            "data": ok[0]["data"],
            "press_id": "press-1",
        }
        assert (await connector.post(press)).status_code == 202
        await receiver.wait_for(
            lambda: any("đã được duyệt" in b["text"] for b in receiver.sends(f"u{MODERATOR}")),
            timeout=15,
        )
    with services.store.session() as session:
        assert session.scalar(select(Post.status)) == "approved"
