"""The record of requests the stub answered, in memory and as a JSON Lines file."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, fields
from pathlib import Path

from testkit._methods import SENDING_METHODS
from testkit._world import UploadedFile


@dataclass(frozen=True)
class Call:
    """One request as the stub saw and answered it.

    `response` is the JSON body sent back (a snapshot: later edits do not change it);
    `answered` is False when the stub carried the request out but never answered
    (see `BotApiStub.timeout_after_accept`).
    """

    method: str
    params: dict
    ts: float
    status: int
    response: dict
    answered: bool = True

    @property
    def ok(self) -> bool:
        """Whether the request succeeded."""
        return self.status == 200

    @property
    def result(self) -> object:
        """The `result` of a successful answer, else None."""
        return self.response.get("result")

    def to_json(self) -> dict:
        """A JSON-friendly dict (uploaded files are summarised, not embedded)."""
        # Not dataclasses.asdict: it would flatten UploadedFile bytes before jsonable sees them.
        return json.loads(dumps({f.name: getattr(self, f.name) for f in fields(self)}))


def jsonable(value: object) -> object:
    """json.dumps fallback for what requests carry besides plain JSON."""
    if isinstance(value, UploadedFile):
        return value.summary()
    if isinstance(value, Call):
        return value.to_json()
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode()}
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: object) -> str:
    """JSON text of a value that may hold uploads, calls or bytes."""
    return json.dumps(value, ensure_ascii=False, default=jsonable)


def load_calls(path: str | Path) -> list[Call]:
    """Read the calls a stub appended to its record file (one JSON object a line)."""
    calls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            calls.append(Call(**json.loads(line)))
    return calls


def sent_messages_in(path: str | Path, chat_id: int | None = None) -> list[dict]:
    """Messages a record file says were delivered, in order, optionally for one chat."""
    return [
        call.result
        for call in load_calls(path)
        if call.method in SENDING_METHODS
        and call.ok
        and isinstance(call.result, dict)
        and (chat_id is None or call.result["chat"]["id"] == chat_id)
    ]
