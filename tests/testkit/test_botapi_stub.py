"""The Bot API stub, driven by a real python-telegram-bot client and by raw httpx."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import subprocess
import sys
import threading
import time

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from testkit.botapi_stub import BotApiStub, RemoteStub, load_calls, sent_messages_in

GROUP = -1001234567890
USER = 5001


@pytest.fixture
async def bot(stub):
    async with telegram.Bot(
        stub.token, base_url=stub.base_url, base_file_url=stub.base_file_url
    ) as client:
        yield client


@pytest.fixture
def api(stub):
    with httpx.Client(base_url=f"{stub.base_url}{stub.token}/") as client:
        yield client


# -- basics ----------------------------------------------------------------------------


async def test_get_me_through_ptb(stub, bot):
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (stub.bot_id, "stub_bot", True)
    assert stub.calls_to("getMe")[0].status == 200


def test_unknown_method_and_wrong_token_answer_like_telegram(stub, api):
    unknown = api.post("sendTelepathy", data={"chat_id": 1})
    wrong = httpx.post(f"{stub.base_url}999:nope/getMe")

    assert unknown.status_code == 404
    assert unknown.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert wrong.status_code == 401
    assert [c.status for c in stub.calls] == [404, 401]


def test_form_json_and_get_requests_are_all_understood(stub, api):
    stub.add_chat(USER)

    by_form = api.post("sendMessage", data={"chat_id": str(USER), "text": "123"})
    by_json = api.post("SENDMESSAGE", json={"chat_id": USER, "text": "json"})
    by_get = api.get("sendMessage", params={"chat_id": USER, "text": "get"})

    assert [r.json()["result"]["message_id"] for r in (by_form, by_json, by_get)] == [1, 2, 3]
    # A text of digits stays a string: form values are JSON-decoded only for non-String fields.
    assert stub.calls[0].params == {"chat_id": USER, "text": "123"}
    assert stub.calls[1].method == "sendMessage"


# -- sending and its errors ------------------------------------------------------------


async def test_send_message_returns_a_full_message_and_echoes_the_keyboard(stub, bot):
    stub.add_chat(GROUP, title="Chi bộ 1")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Hữu ích", callback_data="up")]])

    first = await bot.send_message(GROUP, "Xin chào", reply_markup=keyboard)
    second = await bot.send_message(GROUP, "Lần hai", reply_to_message_id=first.message_id)

    assert (first.message_id, second.message_id) == (1, 2)
    assert first.chat.title == "Chi bộ 1" and first.chat.type == "supergroup"
    assert first.from_user.id == stub.bot_id
    assert first.reply_markup == keyboard
    assert second.reply_to_message.message_id == 1
    assert [m["text"] for m in stub.sent_messages(GROUP)] == ["Xin chào", "Lần hai"]


async def test_send_errors_become_ptb_exceptions(stub, bot):
    stub.add_chat(USER)

    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "a" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(777, "ai đó?")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER, b"x", caption="c" * 1025)
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
        await bot.send_message(USER, "x", reply_markup=markup)

    await bot.send_message(USER, "a" * 4096)
    assert len(stub.sent_messages()) == 1
    assert [c.status for c in stub.calls_to("sendMessage")] == [400, 400, 400, 400, 200]


async def test_html_is_validated_and_parsed_into_entities(stub, bot, api):
    stub.add_chat(USER)

    sent = await bot.send_message(
        USER, '🏟 <b>Nghị <i>quyết</i></b> &lt;số 1&gt; <a href="https://x.vn">đây</a>', "HTML"
    )
    refused = {
        "a <br> b": 'Unsupported start tag "br" at byte offset 2',
        "<b>đậm": 'Can\'t find end tag corresponding to start tag "b"',
        "<b>x</i>": 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
        "x</b>": "Unexpected end tag at byte offset 1",
        "<span>x</span>": 'Tag "span" must have class "tg-spoiler" at byte offset 0',
        "giá < 5": 'Unsupported start tag "" at byte offset 5',
    }
    answers = {
        text: api.post("sendMessage", data={"chat_id": USER, "text": text, "parse_mode": "HTML"})
        for text in refused
    }

    assert sent.text == "🏟 Nghị quyết <số 1> đây"
    # Offsets count UTF-16 code units: the stadium emoji takes two.
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 3, 10),
        ("italic", 8, 5),
        ("text_link", 21, 3),
    ]
    for text, reason in refused.items():
        assert answers[text].status_code == 400
        assert answers[text].json()["description"] == f"Bad Request: can't parse entities: {reason}"
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(USER, "<p>x</p>", parse_mode="HTML")


async def test_edit_delete_pin_and_callbacks(stub, bot):
    stub.add_chat(GROUP)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Đọc", callback_data="read")]])
    sent = await bot.send_message(GROUP, "bản nháp", reply_markup=keyboard)

    edited = await bot.edit_message_text("bản cuối", GROUP, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("bản cuối", GROUP, sent.message_id, reply_markup=keyboard)
    await bot.edit_message_reply_markup(GROUP, sent.message_id)
    with pytest.raises(BadRequest, match="Not enough rights"):
        await bot.pin_chat_message(GROUP, sent.message_id)
    stub.set_chat_member_status(GROUP, stub.bot_id, "administrator")
    assert await bot.pin_chat_message(GROUP, sent.message_id)
    query = stub.push_callback(GROUP, USER, sent.message_id, "read")["callback_query"]
    assert await bot.answer_callback_query(query["id"], text="Đã ghi nhận")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query["id"])
    assert await bot.delete_message(GROUP, sent.message_id)

    assert edited.text == "bản cuối" and edited.edit_date is not None
    assert stub.sent_messages(GROUP)[0]["text"] == "bản cuối"
    assert "reply_markup" not in stub.sent_messages(GROUP)[0]
    assert stub.callback_answers[query["id"]]["text"] == "Đã ghi nhận"
    assert stub.message(GROUP, sent.message_id) is None


async def test_chats_members_commands_and_webhook(stub, bot):
    stub.push_message(GROUP, USER, "hi", title="Chi bộ 2", first_name="Lan")
    stub.set_chat_member_status(GROUP, 9, "creator")
    stub.set_chat_member_status(GROUP, USER, "administrator")
    stub.set_chat_member_status(GROUP, 11, "restricted")
    stub.set_chat_member_status(GROUP, 12, "kicked")

    chat = await bot.get_chat(GROUP)
    admins = await bot.get_chat_administrators(GROUP)
    members = [await bot.get_chat_member(GROUP, uid) for uid in (USER, 11, 12, stub.bot_id)]
    with pytest.raises(BadRequest, match="User not found"):
        await bot.get_chat_member(GROUP, 424242)
    await bot.set_my_commands([("hoi", "Hỏi về văn kiện")])
    commands = await bot.get_my_commands()
    await bot.delete_my_commands()
    await bot.send_chat_action(GROUP, "typing")
    await bot.set_webhook("https://127.0.0.1/hook", secret_token="s3cret")
    webhook = await bot.get_webhook_info()
    await bot.delete_webhook()

    assert chat.title == "Chi bộ 2"
    assert [(a.user.id, a.status) for a in admins] == [(9, "creator"), (USER, "administrator")]
    assert [m.status for m in members] == ["administrator", "restricted", "kicked", "member"]
    assert [(c.command, c.description) for c in commands] == [("hoi", "Hỏi về văn kiện")]
    assert await bot.get_my_commands() == ()
    assert webhook.url == "https://127.0.0.1/hook"
    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(GROUP, "còn đây không?")


# -- updates ---------------------------------------------------------------------------


async def test_get_updates_returns_pushed_updates_and_honours_offset(stub, bot):
    stub.push_message(USER, USER, "/start", first_name="Minh", username="minh_vn")
    stub.push_message(GROUP, USER, "@stub_bot hỏi gì đó", chat_type="supergroup")
    stub.push_sticker(USER, USER)

    updates = await bot.get_updates()
    again = await bot.get_updates(offset=updates[1].update_id)
    after = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)

    assert [u.update_id for u in updates] == [1, 2, 3]
    assert updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"
    assert updates[0].effective_chat.username == "minh_vn"
    assert updates[1].message.entities[0].type == "mention"
    assert updates[2].message.sticker.emoji == "👍"
    assert [u.update_id for u in again] == [2, 3]
    assert after == ()
    assert stub.pending_updates == []


async def test_long_poll_waits_for_an_update_or_the_timeout(stub, bot):
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    waited = time.monotonic() - started

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await stub.wait_for_async(lambda: stub.waiting_polls == 1)
    stub.push_message(USER, USER, "đây rồi")
    woke = time.monotonic()
    updates = await poll

    assert 0.9 <= waited < 2
    assert updates[0].message.text == "đây rồi"
    assert time.monotonic() - woke < 1


async def test_allowed_updates_filters_and_a_newer_poll_ends_the_older(stub, bot, api):
    sent_to = stub.add_chat(USER)["id"]
    message = await bot.send_message(sent_to, "nút")
    stub.push_callback(USER, USER, message.message_id, "x")
    stub.push_message(USER, USER, "chữ")

    updates = await bot.get_updates(allowed_updates=["message"])
    older = asyncio.create_task(bot.get_updates(offset=updates[0].update_id + 1, timeout=5))
    await stub.wait_for_async(lambda: stub.waiting_polls == 1)
    newer = await asyncio.to_thread(api.post, "getUpdates", data={"timeout": 0})

    assert [u.message.text for u in updates] == ["chữ"]
    assert newer.json() == {"ok": True, "result": []}
    with pytest.raises(telegram.error.Conflict, match="terminated by other getUpdates"):
        await older


async def test_my_chat_member_and_anonymous_admin(stub, bot):
    stub.push_my_chat_member(GROUP, "Chi bộ 3", "left", "administrator", by_user=USER)
    stub.push_message(GROUP, 1087968824, "/dang bài", sender_chat=GROUP)

    added, anonymous = await bot.get_updates()

    assert added.my_chat_member.new_chat_member.status == "administrator"
    assert added.my_chat_member.from_user.id == USER
    assert anonymous.message.from_user.username == "GroupAnonymousBot"
    assert anonymous.message.sender_chat.id == GROUP
    assert (await bot.get_chat_member(GROUP, stub.bot_id)).status == "administrator"


# -- files -----------------------------------------------------------------------------


async def test_pushed_document_downloads_and_uploads_keep_their_bytes(stub, bot, tmp_path):
    content = bytes(range(256)) + b"\r\n--not-a-boundary\r\n"
    update = stub.push_document(USER, USER, 'Nghị quyết "số 1".pdf', content, "application/pdf")
    file_id = update["message"]["document"]["file_id"]

    pushed = (await bot.get_updates())[0].message.document
    downloaded = await (await bot.get_file(file_id)).download_as_bytearray()
    upload = tmp_path / "Báo cáo tuần.docx"
    upload.write_bytes(content[::-1])
    sent = await bot.send_document(USER, upload, caption="<b>Báo cáo</b>", parse_mode="HTML")
    photo = await bot.send_photo(USER, b"\x89PNG fake")

    assert pushed.file_name == 'Nghị quyết "số 1".pdf'
    assert bytes(downloaded) == content
    assert sent.document.file_name == "Báo cáo tuần.docx"
    assert stub.file_bytes(sent.document.file_id) == content[::-1]
    assert sent.caption == "Báo cáo" and sent.caption_entities[0].type == "bold"
    assert stub.file_bytes(photo.photo[-1].file_id) == b"\x89PNG fake"
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(USER, "no-such-file-id")


# -- faults and limits ------------------------------------------------------------------


async def test_blocked_chats_and_injected_403(stub, bot):
    stub.add_chat(USER)
    stub.add_chat(GROUP)
    stub.block_chat(USER)
    stub.block_chat(GROUP)
    stub.add_chat(-42)
    stub.fail_next("sendMessage", chat_id=-42, error_code=403, times=1)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "x")
    with pytest.raises(Forbidden, match="kicked from the supergroup chat"):
        await bot.send_message(GROUP, "x")
    with pytest.raises(Forbidden):
        await bot.send_message(-42, "x")
    delivered = await bot.send_message(-42, "lần hai thì được")

    assert delivered.message_id == 1
    assert [m["chat"]["id"] for m in stub.sent_messages()] == [-42]


async def test_injected_429_raises_retry_after(stub, bot, api, monkeypatch):
    # Without PTB_TIMEDELTA, PTB 22 warns when building RetryAfter; warnings are errors here.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    stub.add_chat(USER)
    stub.fail_next("sendMessage", error_code=429, retry_after=7)
    stub.fail_next("sendMessage", error_code=429, retry_after=3)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "x")
    raw = api.post("sendMessage", data={"chat_id": USER, "text": "x"})

    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert raw.status_code == 429
    assert raw.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert stub.count_429 == 2
    assert stub.sent_messages() == []


async def test_flood_limits_per_group_and_overall(stub, bot, api, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    stub.enforce_limits(global_per_sec=100, per_group_per_min=3)
    stub.add_chat(GROUP)
    stub.add_chat(USER)

    for n in range(3):
        await bot.send_message(GROUP, f"tin {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP, "tin 4")
    private = [api.post("sendMessage", data={"chat_id": USER, "text": "x"}) for _ in range(5)]
    stub.enforce_limits(global_per_sec=2, per_group_per_min=None)
    burst = [api.post("sendMessage", data={"chat_id": USER, "text": "y"}) for _ in range(3)]

    assert 58 <= caught.value.retry_after.total_seconds() <= 60
    assert [r.status_code for r in private] == [200] * 5
    assert [r.status_code for r in burst] == [200, 200, 429]
    assert burst[2].json()["parameters"]["retry_after"] == 1
    assert stub.count_429 == 2
    assert len(stub.sent_messages(GROUP)) == 3


def test_per_chat_limit_is_opt_in_and_spares_private_chats(stub, api):
    stub.enforce_limits(per_chat_per_sec=1)
    stub.add_chat(GROUP)
    stub.add_chat(USER)

    group = [api.post("sendMessage", data={"chat_id": GROUP, "text": "g"}) for _ in range(2)]
    private = [api.post("sendMessage", data={"chat_id": USER, "text": "p"}) for _ in range(3)]

    assert [r.status_code for r in group] == [200, 429]
    assert [r.status_code for r in private] == [200, 200, 200]


async def test_timeout_after_accept_delivers_but_ptb_sees_a_timeout(stub, bot):
    stub.add_chat(GROUP)
    stub.timeout_after_accept("sendMessage", chat_id=GROUP)
    stub.timeout_after_accept("sendMessage", chat_id=GROUP, close=True)

    with pytest.raises(TimedOut):
        await bot.send_message(GROUP, "đã gửi chưa?", read_timeout=0.3)
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "lần nữa")
    normal = await bot.send_message(GROUP, "bình thường")

    assert [m["text"] for m in stub.sent_messages(GROUP)] == [
        "đã gửi chưa?",
        "lần nữa",
        "bình thường",
    ]
    assert [c.answered for c in stub.calls_to("sendMessage")] == [False, False, True]
    assert normal.message_id == 3


async def test_delay_slows_answers(stub, bot):
    stub.delay("getMe", 0.3)
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.3


# -- waiting and recording -------------------------------------------------------------


def test_wait_for_from_sync_code(stub, api):
    stub.add_chat(USER)
    sender = threading.Thread(
        target=api.post, args=("sendMessage",), kwargs={"data": {"chat_id": USER, "text": "t"}}
    )
    sender.start()

    calls = stub.wait_for("sendMessage", timeout=5)
    sender.join()

    assert calls[0].params["text"] == "t"
    with pytest.raises(TimeoutError, match="2 call"):
        stub.wait_for("sendMessage", count=2, timeout=0.05)


async def test_wait_for_async_times_out_with_a_helpful_message(stub):
    with pytest.raises(TimeoutError, match="condition"):
        await stub.wait_for_async(lambda: stub.sent_messages(), timeout=0.05)


async def test_record_file_survives_the_stub(tmp_path):
    record = tmp_path / "calls.jsonl"
    async with BotApiStub(record_path=record) as stub:
        stub.add_chat(GROUP)
        async with telegram.Bot(stub.token, base_url=stub.base_url) as bot:
            await bot.send_message(GROUP, "một")
            await bot.send_document(GROUP, b"abc", filename="a.txt")

    calls = load_calls(record)
    assert [c.method for c in calls] == ["getMe", "sendMessage", "sendDocument"]
    uploaded = {"filename": "a.txt", "mime_type": "text/plain", "size": 3}
    assert calls[2].params["document"] == uploaded
    assert [m["message_id"] for m in sent_messages_in(record, GROUP)] == [1, 2]


@pytest.mark.slow
async def test_stub_as_a_separate_process(tmp_path):
    record = tmp_path / "calls.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "testkit.botapi_stub", "--port", "0", "--state", str(record)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        with RemoteStub(info["control_url"]) as remote:
            remote.push_message(chat_id=USER, user_id=USER, text="/start")
            async with telegram.Bot(info["token"], base_url=info["base_url"]) as bot:
                update = (await bot.get_updates())[0]
                await bot.send_message(USER, f"chào {update.message.from_user.first_name}")
            sent = remote.sent_messages(chat_id=USER)
            calls = remote.calls
    finally:
        process.terminate()
        process.wait(5)
        process.stdout.close()

    assert sent[0]["text"] == f"chào User {USER}"
    assert [c.method for c in calls] == ["getMe", "getUpdates", "sendMessage"]
    assert process.returncode == 0
    assert [m["text"] for m in sent_messages_in(record)] == [sent[0]["text"]]


ECHO_BOT = """
import sys
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def echo(update, context):
    await update.effective_message.reply_text("re: " + update.effective_message.text)

app = ApplicationBuilder().token(sys.argv[1]).base_url(sys.argv[2]).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling(poll_interval=0, timeout=1)
"""


@pytest.mark.slow
def test_stub_outlives_a_killed_bot_process(stub):
    def run_bot() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", ECHO_BOT, stub.token, stub.base_url])

    def settled(replies: int) -> bool:
        # The poll after a reply carries the offset that confirms the handled update.
        done = len(stub.sent_messages()) == replies and not stub.pending_updates
        return done and stub.waiting_polls == 1

    stub.push_message(USER, USER, "một")
    first = run_bot()
    try:
        stub.wait_for(lambda: settled(1), timeout=15)
    finally:
        first.kill()
        first.wait(5)
    stub.push_message(USER, USER, "hai")
    second = run_bot()
    try:
        stub.wait_for(lambda: settled(2), timeout=15)
    finally:
        second.terminate()
        second.wait(10)

    assert [m["text"] for m in stub.sent_messages(USER)] == ["re: một", "re: hai"]
    assert second.returncode == 0


# -- a whole PTB Application -------------------------------------------------------------


async def test_application_polls_and_replies_to_start(stub):
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        await message.reply_text(f"Chào {update.effective_user.first_name}!", do_quote=True)

    application = (
        ApplicationBuilder()
        .token(stub.token)
        .base_url(stub.base_url)
        .base_file_url(stub.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    stub.push_message(USER, USER, "/start", first_name="Hà")
    stub.push_message(GROUP, USER, "/start@stub_bot", first_name="Hà")

    async with application:
        await application.start()
        await application.updater.start_polling(timeout=1)
        await stub.wait_for_async(lambda: len(stub.sent_messages()) == 2)
        await application.updater.stop()
        await application.stop()

    replies = stub.sent_messages()
    assert {m["chat"]["id"]: m["text"] for m in replies} == {USER: "Chào Hà!", GROUP: "Chào Hà!"}
    assert all(m["reply_to_message"]["text"].startswith("/start") for m in replies)
    # Stopping the updater confirms what was handled, so nothing is redelivered.
    assert stub.pending_updates == []


async def test_network_latency_delays_each_call_both_ways(stub, bot):
    stub.add_chat(GROUP, "supergroup")
    stub.network(0.2, 0.05, seed=1)  # 150-250 ms a round trip, 75-125 ms each way
    started = time.time()
    await bot.send_message(GROUP, "chậm")
    answered = time.time()
    [call] = stub.calls_to("sendMessage")
    assert call.ts - started >= 0.075  # recorded on arrival, after the way out
    assert answered - call.ts >= 0.075  # and answered after the way back


async def test_random_faults_answer_429_or_502_and_deliver_nothing(stub, bot):
    stub.add_chat(GROUP, "supergroup")
    stub.random_faults(share_429=1.0, retry_after=(2, 3), share_5xx=0.0, seed=1)
    with pytest.raises(RetryAfter) as flooded:
        await bot.send_message(GROUP, "không tới")
    assert flooded.value.retry_after.total_seconds() in (2, 3)
    stub.random_faults(share_429=0.0, share_5xx=1.0, seed=1)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(GROUP, "không tới")
    assert stub.sent_messages() == []
    assert stub.injected == {"429": 1, "502": 1}
    assert stub.count_429 == 1
