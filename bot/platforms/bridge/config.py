"""One connector's configuration: its shared secret, where replies go, and who has which role."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

PLATFORM_NAME = re.compile(r"[a-z][a-z0-9_-]{1,31}")
RESERVED = frozenset({"telegram", "console"})


def _ids(value: object) -> object:
    """Ids as strings: a list of strings or numbers, or one comma-separated string."""
    if isinstance(value, str):
        return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return value


class BridgeConnector(BaseModel):
    """BOT_BRIDGE_PLATFORMS maps a platform name (e.g. "mocha") to one of these."""

    model_config = ConfigDict(extra="forbid")

    secret: SecretStr = Field(min_length=16)  # shared with the connector; signs both ways
    url: str = Field(pattern=r"^https?://\S+$")  # the connector's receiver for our posts
    admin_ids: Annotated[list[str], Field(default_factory=list)]
    moderator_ids: Annotated[list[str], Field(default_factory=list)]
    max_text: int = Field(default=4096, ge=100, le=100_000)
    buttons: bool = True  # the connector can show buttons and report presses
    edits: bool = True  # the connector can edit a message it delivered
    timeout: float = Field(default=10.0, gt=0, le=120)  # seconds to wait for its answer
    attempts: int = Field(default=3, ge=1, le=10)  # tries for 5xx and connection errors

    @field_validator("admin_ids", "moderator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        return _ids(value)


def check_platforms(platforms: dict[str, BridgeConnector]) -> dict[str, BridgeConnector]:
    """Names are short lowercase words, not a built-in platform; secrets are all different."""
    for name in platforms:
        if not PLATFORM_NAME.fullmatch(name) or name in RESERVED:
            raise ValueError(
                f"tên nền tảng «{name}» không hợp lệ (chữ thường, 2–32 ký tự, không dùng "
                "«telegram» hay «console»)"
            )
    secrets = [c.secret.get_secret_value() for c in platforms.values()]
    if len(set(secrets)) != len(secrets):
        raise ValueError("mỗi nền tảng cầu nối phải có khóa bí mật riêng")
    return platforms
