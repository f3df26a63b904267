"""The bridge's private-chat directory: a member's first messages may be handled at once."""

from __future__ import annotations

import threading

from sqlalchemy import text

from bot.platforms.bridge.directory import PrivateChats
from bot.store import open_store


def test_two_first_messages_of_one_member_at_once_are_both_noted(database_url) -> None:
    store = open_store(database_url)
    chats = PrivateChats(store)
    start, errors = threading.Barrier(8), []

    def first_message(i: int) -> None:
        start.wait()
        try:
            chats.note("mocha", "u1", f"c{i % 2}")
        except Exception as exc:  # the race used to lose a message to a unique violation
            errors.append(exc)

    for _ in range(20):  # many rounds: the race needs both to look before either inserts
        with store.session() as session:
            session.execute(text("DELETE FROM bridge_private_chats"))
        threads = [threading.Thread(target=first_message, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    try:
        assert errors == []
        assert chats.chat_of("mocha", "u1") in {"c0", "c1"}
    finally:
        store.close()
