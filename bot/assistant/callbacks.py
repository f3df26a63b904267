"""Button data: compact (well under Telegram's 64 bytes), signed, and safe to parse when forged.

Every button carries an HMAC of the chat it was sent to and the question it belongs to,
under a server key: a press with data made up by a client, or copied from another chat,
fails the check before anything is looked up or searched (issue 10: forged presses showed
other members' answers and cost a search each). The signature is stateless on purpose: it
needs no table (the store's schema is not touched), survives a restart, and is checked in
microseconds. The page number is not signed: any page of an answer already shown in that
chat may be shown there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_DATA = 64
SIGNATURE_CHARS = 16  # 96 bits of base64url
_MORE = re.compile(r"m:(\d{1,12}):(\d{1,2}):([A-Za-z0-9_-]{16})")
_VOTE = re.compile(r"v:(\d{1,12}):([01]):([A-Za-z0-9_-]{16})")


@dataclass(frozen=True)
class ShowPage:
    """Show result `page` of question `question_id` in place."""

    question_id: int
    page: int
    signature: str = ""


@dataclass(frozen=True)
class Vote:
    """👍 (helpful) or 👎 on the answer to question `question_id`."""

    question_id: int
    helpful: bool
    signature: str = ""


@dataclass(frozen=True)
class Binding:
    """Where an answer's buttons were sent: the key signs (platform, chat, question)."""

    key: bytes
    platform: str
    chat_id: str

    def sign(self, question_id: int) -> str:
        message = f"{self.platform}\0{self.chat_id}\0{question_id}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]

    def holds(self, action: ShowPage | Vote) -> bool:
        """True when the action's data was made by us for this chat."""
        return hmac.compare_digest(self.sign(action.question_id), action.signature)


def derive_key(secret: bytes) -> bytes:
    """The button key, from the installation secret (separate from its other uses)."""
    return hmac.new(secret, b"button-data", hashlib.sha256).digest()


def show_page(binding: Binding, question_id: int, page: int) -> str:
    return f"m:{question_id}:{page}:{binding.sign(question_id)}"


def vote(binding: Binding, question_id: int, helpful: bool) -> str:
    return f"v:{question_id}:{int(helpful)}:{binding.sign(question_id)}"


def parse(data: str | None) -> ShowPage | Vote | None:
    """The action behind button data, or None for anything of a shape we never make."""
    if not data or len(data) > MAX_DATA:
        return None
    if m := _MORE.fullmatch(data):
        return ShowPage(int(m[1]), int(m[2]), m[3])
    if m := _VOTE.fullmatch(data):
        return Vote(int(m[1]), m[2] == "1", m[3])
    return None
