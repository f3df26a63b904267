"""The console's secrets as values and rows: initData checks, one-time links, sessions."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.console import links, sessions
from bot.console.identity import Identity
from bot.console.initdata import InitDataRefused, verify
from bot.console.models import ConsoleSession, SignInLink
from bot.store import open_store
from testkit.miniapp import init_data

TOKEN = "123456:ABC-test-token"
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
AT = int(NOW.timestamp())
LAN = Identity("telegram", "1001", "Lan")


def test_valid_initdata_names_the_telegram_user() -> None:
    signed = verify(init_data(TOKEN, 1001, "Lan", auth_date=AT - 60), TOKEN, NOW)
    assert signed.identity == Identity("telegram", "1001", "Lan")
    assert signed.auth_date == NOW - timedelta(seconds=60)


def test_every_received_field_is_signed_signature_included() -> None:
    """Only `hash` is left out of the data-check-string (Telegram's docs)."""
    data = init_data(TOKEN, 1001, auth_date=AT, signature="c2lnbmF0dXJl", chat_type="sender")
    assert verify(data, TOKEN, NOW).identity.user_id == "1001"
    fields = dict(parse_qsl(data))
    fields["signature"] = "changed"
    with pytest.raises(InitDataRefused, match="Chữ ký"):
        verify(urlencode(fields), TOKEN, NOW)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.update(hash="0" * 64),
        lambda f: f.update(hash=""),
        lambda f: f.pop("hash"),
        lambda f: f.update(auth_date=str(AT - 5)),  # any field changed after signing
        lambda f: f.update(user=json.dumps({"id": 1, "first_name": "Lan"})),
        lambda f: f.update(extra="1"),
    ],
)
def test_changed_or_unsigned_initdata_is_refused(change) -> None:
    fields = dict(parse_qsl(init_data(TOKEN, 1001, auth_date=AT)))
    change(fields)
    with pytest.raises(InitDataRefused, match="Chữ ký"):
        verify(urlencode(fields), TOKEN, NOW)


def test_initdata_signed_for_another_bot_is_refused() -> None:
    with pytest.raises(InitDataRefused, match="Chữ ký"):
        verify(init_data("999:other", 1001, auth_date=AT), TOKEN, NOW)


def test_a_field_given_twice_is_refused() -> None:
    data = init_data(TOKEN, 1001, auth_date=AT)
    with pytest.raises(InitDataRefused, match="không đúng dạng"):
        verify(data + "&auth_date=" + str(AT), TOKEN, NOW)


@pytest.mark.parametrize("age", [timedelta(hours=1, seconds=1), timedelta(days=3)])
def test_stale_auth_date_is_refused(age) -> None:
    data = init_data(TOKEN, 1001, auth_date=int((NOW - age).timestamp()))
    with pytest.raises(InitDataRefused, match="đã cũ"):
        verify(data, TOKEN, NOW)


def test_auth_date_from_the_future_is_refused_beyond_clock_skew() -> None:
    assert verify(init_data(TOKEN, 1001, auth_date=AT + 30), TOKEN, NOW)
    with pytest.raises(InitDataRefused, match="đã cũ"):
        verify(init_data(TOKEN, 1001, auth_date=AT + 600), TOKEN, NOW)


def test_without_a_bot_token_nothing_verifies() -> None:
    with pytest.raises(InitDataRefused):
        verify(init_data("", 1001, auth_date=AT), "", NOW)


@pytest.fixture
def store(tmp_path):
    made = open_store(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    yield made
    made.close()


def test_a_link_signs_in_once_within_ten_minutes(store) -> None:
    secret = links.issue(store, LAN, NOW)
    with store.session() as session:
        [row] = session.query(SignInLink).all()
        assert row.token_hash == links.digest(secret) and secret not in row.token_hash
    assert links.redeem(store, secret, NOW + timedelta(minutes=9, seconds=59)) == LAN
    with pytest.raises(links.LinkRefused, match="đã được dùng"):
        links.redeem(store, secret, NOW + timedelta(minutes=10))


def test_an_expired_or_unknown_link_is_refused(store) -> None:
    secret = links.issue(store, LAN, NOW)
    with pytest.raises(links.LinkRefused, match="hết hạn"):
        links.redeem(store, secret, NOW + timedelta(minutes=10))
    with pytest.raises(links.LinkRefused, match="không đúng"):
        links.redeem(store, "made-up", NOW)


def test_two_presses_racing_sign_in_once(store) -> None:
    secrets = [links.issue(store, LAN, NOW) for _ in range(20)]

    def redeem(secret):
        try:
            links.redeem(store, secret, NOW)
            return True
        except links.LinkRefused:
            return False

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(redeem, [s for s in secrets for _ in range(4)]))
    assert sum(outcomes) == len(secrets)


def test_a_session_lasts_its_lifetime_and_ends_on_sign_out(store) -> None:
    secret = sessions.open_session(store, LAN, "link", NOW, timedelta(hours=8))
    found = sessions.find(store, secret, NOW + timedelta(hours=7, minutes=59))
    assert found is not None and found.identity == LAN and len(found.csrf) >= 32
    assert sessions.find(store, secret, NOW + timedelta(hours=8)) is None
    assert sessions.find(store, "made-up", NOW) is None
    assert sessions.find(store, "", NOW) is None
    sessions.close(store, secret)
    assert sessions.find(store, secret, NOW) is None


def test_expired_sessions_are_removed_when_a_new_one_opens(store) -> None:
    sessions.open_session(store, LAN, "link", NOW, timedelta(hours=1))
    later = sessions.open_session(
        store, LAN, "miniapp", NOW + timedelta(hours=2), timedelta(hours=1)
    )
    with store.session() as session:
        [row] = session.query(ConsoleSession).all()
        assert row.token_hash == links.digest(later) and row.via == "miniapp"
