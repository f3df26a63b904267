"""The console chat as a Platform: one private chat with the person at the terminal.

The same Assistant as Telegram and the bridge drives it, so answers, paging, declines, the
unanswered log, commands and help are one code path; this adapter only prints messages as
plain text and numbers their buttons, so the person can press one by typing `!N` (or
`/khac` for the next page of an answer).
"""

from __future__ import annotations

import itertools
from typing import TextIO

from bot import markup
from bot.assistant import callbacks
from bot.chat import (
    Button,
    ButtonPress,
    Capabilities,
    IncomingMessage,
    OutgoingMessage,
    SentMessage,
)
from bot.errors import BotError

NAME = "console"
USER = "console"  # the one person at the terminal (an admin: they run the bot)


class ConsolePlatform:
    """Prints what the assistant sends; turns typed lines into messages and button presses."""

    name = NAME

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.capabilities = Capabilities(max_text=4096, buttons=True, edits=True)
        self._ids = itertools.count(1)
        self._buttons: dict[str, tuple[Button, ...]] = {}  # message id -> its buttons
        self._latest = ""  # the message `!N` and `/khac` refer to: the last one sent

    # -- Platform ------------------------------------------------------------------

    async def send(
        self, chat_id: str, message: OutgoingMessage, reply_to: str | None = None
    ) -> SentMessage:
        message_id = self._latest = str(next(self._ids))
        self._show(message_id, message)
        return SentMessage(chat_id, message_id)

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> None:
        self._show(message_id, message)  # a terminal cannot change what it printed

    async def answer_press(self, press_id: str, text: str = "") -> None:
        if text:
            self._print(markup.plain(text))

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        return False

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None:
        return None

    async def fetch_document(self, file_ref: str, limit: int) -> bytes:
        raise BotError("cửa sổ lệnh không nhận tệp: chép tệp vào thư mục tài liệu")

    # -- the terminal --------------------------------------------------------------

    def message(self, line: str, message_id: str) -> IncomingMessage:
        """A typed line as a private message from the person at the terminal."""
        command, args = None, ""
        if line.startswith("/"):
            head, _, args = line.partition(" ")
            command = head[1:].split("@", 1)[0].lower()
        return IncomingMessage(
            platform=NAME,
            chat_id=USER,
            chat_type="private",
            user_id=USER,
            text=line,
            message_id=message_id,
            command=command,
            args=args.strip(),
        )

    def press(self, line: str) -> ButtonPress | None:
        """`!N` presses button N of the last message sent; `/khac` its next-page button.

        Only the last message counts: after a decline or any other reply, `/khac` has
        nothing to page (as in Telegram, where the buttons sit under their own answer).
        """
        message_id = self._latest
        buttons = self._buttons.get(message_id, ())
        if line.startswith("!"):
            number = int(line[1:]) if line[1:].isdigit() else 0
            chosen = buttons[number - 1] if 0 < number <= len(buttons) else None
        else:
            pages = [b for b in buttons if isinstance(callbacks.parse(b.data), callbacks.ShowPage)]
            chosen = pages[0] if pages else None
        if chosen is None or chosen.data is None:
            return None
        return ButtonPress(NAME, USER, USER, message_id, chosen.data, press_id=message_id)

    def _show(self, message_id: str, message: OutgoingMessage) -> None:
        lines = [markup.plain(message.text)]
        pressable = tuple(b for row in message.buttons for b in row if b.data)
        links = [b for row in message.buttons for b in row if b.url]
        if message_id == self._latest:  # older messages' buttons can no longer be typed
            self._buttons = {message_id: pressable}
        if pressable:
            lines.append("   ".join(f"[!{n}] {b.text}" for n, b in enumerate(pressable, 1)))
        lines += [f"[{b.text}] {b.url}" for b in links]
        self._print("\n".join(lines) + "\n")

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)
