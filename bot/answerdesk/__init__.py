"""The answer desk: from a question the bot could not answer to an approved answer.

Unanswered questions are grouped by similarity (grouping.py); an officer answers a group
(desk.py); an approver approves it; the answer becomes a `hoi-dap` knowledge document
(documents.py), indexed like any other, and every member who asked is told privately
(telling.py). Chat commands: commands.py; the service the console uses too: service.py.
"""

from __future__ import annotations

from bot.errors import BotError


class AnswerDeskError(BotError):
    """Something an officer can fix (unknown number, empty text, no right to approve)."""
