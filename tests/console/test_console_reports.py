"""Delivery reports over real HTTP: totals, the chart, each group's outcome, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from console_helpers import ADMIN, link_for, sign_in

from bot.broadcast.models import (
    DONE,
    FAILED,
    PENDING,
    SENT,
    UNCERTAIN,
    Delivery,
    Occurrence,
    Post,
    Schedule,
)
from bot.store import Chat

DUE = dt.datetime(2026, 11, 30, 13, 0, tzinfo=dt.UTC)  # 20:00 in Hà Nội


def record_occurrence(store, outcomes: list[tuple[str, str, str]]) -> int:
    """A post sent once to groups with these (title, status, reason) outcomes."""
    with store.session() as session:
        post = Post(text="<b>Tin</b> phường", status="approved", version=1, author_id="1001")
        session.add(post)
        session.flush()
        schedule = Schedule(post_id=post.id, recurrence="now", status="finished")
        session.add(schedule)
        session.flush()
        occ = Occurrence(
            schedule_id=schedule.id, post_id=post.id, post_version=1, due_at=DUE, status=DONE
        )
        session.add(occ)
        session.flush()
        for i, (title, status, reason) in enumerate(outcomes):
            chat = Chat(platform="telegram", chat_id=str(-1000 - i), title=title)
            session.add(chat)
            session.flush()
            session.add(
                Delivery(
                    occurrence_id=occ.id,
                    chat_ref=chat.id,
                    platform="telegram",
                    chat_id=chat.chat_id,
                    status=status,
                    reason=reason,
                    message_id="77" if status == SENT else "",
                    sent_at=DUE if status == SENT else None,
                )
            )
        return occ.id


OUTCOMES = [
    ("Chi bộ 1", SENT, ""),
    ("Chi bộ 2", SENT, ""),
    ('=HYPERLINK("x")', FAILED, "bot bị xóa khỏi nhóm (403)"),
    ("Chi bộ 4", UNCERTAIN, "hết thời gian chờ sau khi gửi"),
    ("Chi bộ 5", PENDING, ""),
]


async def test_the_report_lists_totals_a_chart_and_every_group(console_bot, stub, browser_client):
    occ = record_occurrence(console_bot.services.store, OUTCOMES)
    await sign_in(browser_client, await link_for(stub, ADMIN))
    listing = await browser_client.get("/console/baocao")
    assert listing.status_code == 200
    assert f'href="/console/baocao/{occ}"' in listing.text and "20:00 30/11/2026" in listing.text
    assert '<svg class="chart"' in listing.text and 'role="img"' in listing.text
    detail = await browser_client.get(f"/console/baocao/{occ}")
    text = detail.text
    assert "<b>5</b> nhóm" in text and "<b>2</b> đã gửi" in text and "<b>1</b> lỗi" in text
    assert "<b>1</b> không rõ" in text and "<b>1</b> chờ gửi" in text
    assert "bot bị xóa khỏi nhóm (403)" in text and "hết thời gian chờ sau khi gửi" in text
    # the groups to act on come first
    assert text.index("bot bị xóa") < text.index("Chi bộ 4") < text.index("Chi bộ 1")
    assert '<rect class="sent"' in text and "<title>đã gửi: 2</title>" in text


async def test_the_report_exports_as_csv_excel_reads(console_bot, stub, browser_client):
    occ = record_occurrence(console_bot.services.store, OUTCOMES)
    await sign_in(browser_client, await link_for(stub, ADMIN))
    export = await browser_client.get(f"/console/baocao/{occ}.csv")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert f"bao-cao-lan-{occ}.csv" in export.headers["content-disposition"]
    body = export.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [r["trang_thai"] for r in rows] == [
        "lỗi",
        "không rõ đã tới chưa",
        "chờ gửi",
        "đã gửi",
        "đã gửi",
    ]
    assert rows[0]["nhom"] == '\'=HYPERLINK("x")'  # never a formula in Excel
    assert rows[0]["ly_do"] == "bot bị xóa khỏi nhóm (403)"
    assert rows[-1]["ma_tin_nhan"] == "77" and rows[-1]["gui_luc"] == "20:00 30/11/2026"


async def test_an_unknown_occurrence_is_a_plain_404(console_bot, stub, browser_client):
    await sign_in(browser_client, await link_for(stub, ADMIN))
    assert (await browser_client.get("/console/baocao/999")).status_code == 404
    assert (await browser_client.get("/console/baocao/999.csv")).status_code == 404
