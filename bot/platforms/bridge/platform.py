"""The bridge adapter: the Platform verbs as signed posts to the organisation's connector."""

from __future__ import annotations

import asyncio
import uuid

from bot import markup
from bot.chat import DELIVERY_KEY, Capabilities, OutgoingMessage, SentMessage
from bot.errors import Rejected
from bot.platforms.bridge.client import ConnectorClient, RetryPolicy
from bot.platforms.bridge.config import BridgeConnector
from bot.platforms.bridge.directory import PrivateChats
from bot.platforms.bridge.schema import AttachmentOut, ButtonOut, Delivery


class BridgePlatform:
    """Platform for one connector (e.g. "mocha"); chats and users are the connector's ids."""

    def __init__(
        self,
        name: str,
        client: ConnectorClient,
        capabilities: Capabilities,
        directory: PrivateChats | None = None,
    ) -> None:
        self.name = name
        self.client = client
        self.capabilities = capabilities
        self.directory = directory  # members' private chats, learnt from their messages

    @classmethod
    def from_config(
        cls,
        name: str,
        config: BridgeConnector,
        directory: PrivateChats | None = None,
        **client_options,
    ) -> BridgePlatform:
        policy = RetryPolicy(attempts=config.attempts, timeout=config.timeout)
        client = ConnectorClient(
            config.url, config.secret.get_secret_value(), policy, **client_options
        )
        capabilities = Capabilities(
            max_text=config.max_text,
            max_caption=config.max_text,
            buttons=config.buttons,
            edits=config.edits,
        )
        return cls(name, client, capabilities, directory)

    async def close(self) -> None:
        await self.client.close()

    def _delivery(self, action: str, chat_id: str = "", **fields) -> Delivery:
        # the sender's key when it has one (a reply, a broadcast's copy), so every try of
        # the same message carries one delivery_id; the client keeps it across its retries
        return Delivery(
            delivery_id=DELIVERY_KEY.get() or uuid.uuid4().hex,
            action=action,
            platform=self.name,
            chat_id=chat_id,
            **fields,
        )

    def _content(self, message: OutgoingMessage) -> dict:
        attachment = message.attachment
        return {
            "text": markup.plain(message.text),
            "html": message.text,
            "buttons": [
                [ButtonOut(text=b.text, data=b.data, url=b.url) for b in row]
                for row in message.buttons
            ]
            if self.capabilities.buttons
            else [],
            "attachment": AttachmentOut(
                kind=attachment.kind, ref=attachment.file_ref, file_name=attachment.file_name
            )
            if attachment
            else None,
            "silent": message.silent,
        }

    async def send(
        self, chat_id: str, message: OutgoingMessage, reply_to: str | None = None
    ) -> SentMessage:
        delivery = self._delivery(
            "send", chat_id, reply_to_message_id=reply_to, **self._content(message)
        )
        receipt = await self.client.post(delivery)
        return SentMessage(chat_id=chat_id, message_id=receipt.message_id or delivery.delivery_id)

    async def send_to_user(self, user_id: str, message: OutgoingMessage) -> SentMessage:
        """Privately: to the chat the member last wrote from, else to the user id; `user_id`
        is set either way so the connector can route by it (docs/bridge.md)."""
        chat_id = None
        if self.directory is not None:
            chat_id = await asyncio.to_thread(self.directory.chat_of, self.name, user_id)
        chat_id = chat_id or user_id
        delivery = self._delivery("send", chat_id, user_id=user_id, **self._content(message))
        receipt = await self.client.post(delivery)
        return SentMessage(chat_id=chat_id, message_id=receipt.message_id or delivery.delivery_id)

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> None:
        if not self.capabilities.edits:
            raise Rejected(f"cầu nối {self.name} không sửa được tin đã gửi")
        await self.client.post(
            self._delivery("edit", chat_id, message_id=message_id, **self._content(message))
        )

    async def answer_press(self, press_id: str, text: str = "") -> None:
        await self.client.post(
            self._delivery("answer_press", press_id=press_id, text=text, html=text)
        )

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool:
        """The bridge reports no chat roles; the bot's own roles come from the settings."""
        return False

    async def pin(self, chat_id: str, message_id: str, silent: bool = True) -> None:
        await self.client.post(self._delivery("pin", chat_id, message_id=message_id, silent=silent))

    async def fetch_document(self, file_ref: str, limit: int) -> bytes:
        raise Rejected("cầu nối chưa hỗ trợ gửi tệp; hãy gửi tệp qua Telegram")
