"""Admins add documents by sending them in a private chat; anything else gets a clear reply."""

from __future__ import annotations

from telegram_helpers import ADMIN, MEMBER, ask, replies_to, text_of

DOC = """---
title: Hướng dẫn sinh hoạt chi bộ
date: 01/02/2025
---

I - QUY ĐỊNH CHUNG

1. Chi bộ sinh hoạt định kỳ mỗi tháng một lần vào ngày mồng năm hằng tháng.
"""


async def _replies(stub, chat_id: int, message: dict, count: int):
    return await stub.wait_for_async(
        lambda: (r := replies_to(stub, chat_id, message["message_id"])) and len(r) >= count and r,
        timeout=10,
    )


async def test_admin_document_is_saved_and_indexed(stub, tg_bot, tg_kb):
    sent = stub.push_document(ADMIN, ADMIN, "../Sinh hoạt chi bộ.md", DOC.encode(), "text/markdown")
    saved, progress = await _replies(stub, ADMIN, sent["message"], 2)
    assert "Đã lưu tệp" in text_of(saved)
    assert (tg_kb.knowledge_dir / "Sinh hoạt chi bộ.md").read_text(encoding="utf-8") == DOC
    pid = progress.result["message_id"]
    await stub.wait_for_async(lambda: "Đã cập nhật" in stub.message(ADMIN, pid)["text"])
    assert "2 tài liệu" in stub.message(ADMIN, pid)["text"]
    answer = await ask(stub, MEMBER, MEMBER, "Chi bộ sinh hoạt định kỳ vào ngày nào?")
    assert "mồng năm" in text_of(answer) and "Hướng dẫn sinh hoạt chi bộ" in text_of(answer)


async def test_unsupported_oversized_and_member_documents(stub, tg_bot, tg_kb):
    before = sorted(p.name for p in tg_kb.knowledge_dir.iterdir())
    exe = stub.push_document(ADMIN, ADMIN, "virus.exe", b"MZ\x90\x00", "application/x-msdownload")
    [reply] = await _replies(stub, ADMIN, exe["message"], 1)
    assert ".docx, .pdf, .txt, .md hoặc .html" in text_of(reply)
    big = stub.push_document(ADMIN, ADMIN, "lon.pdf", b"%PDF" + b"0" * 10_000_001)
    [reply] = await _replies(stub, ADMIN, big["message"], 1)
    assert "quá lớn" in text_of(reply)
    member = stub.push_document(MEMBER, MEMBER, "ghi-chu.txt", b"xin chao", "text/plain")
    [reply] = await _replies(stub, MEMBER, member["message"], 1)
    assert "bằng chữ" in text_of(reply)
    assert sorted(p.name for p in tg_kb.knowledge_dir.iterdir()) == before
    assert stub.calls_to("getFile") == []  # nothing was downloaded


async def test_a_photo_with_a_soan_caption_becomes_a_photo_post(stub, tg_bot, tg_kb):
    photo = b"\xff\xd8\xff\xe0JPEG"
    sent = stub.push_photo(ADMIN, ADMIN, photo, caption="/soan <b>Phủ xanh</b> hôm nay")
    await stub.wait_for_async(lambda: stub.calls_to("sendPhoto"), timeout=10)
    preview = stub.calls_to("sendPhoto")[0].params
    assert preview["photo"] == sent["message"]["photo"][-1]["file_id"]  # the largest size
    assert "Phủ xanh" in preview["caption"]


async def test_a_photo_sent_to_add_knowledge_gets_a_clear_reply(stub, tg_bot, tg_kb):
    before = sorted(p.name for p in tg_kb.knowledge_dir.iterdir())
    sent = stub.push_photo(ADMIN, ADMIN, b"\xff\xd8\xff\xe0JPEG")
    [reply] = await _replies(stub, ADMIN, sent["message"], 1)
    assert ".docx, .pdf, .txt, .md hoặc .html" in text_of(reply)
    assert sorted(p.name for p in tg_kb.knowledge_dir.iterdir()) == before


async def test_a_decomposed_file_name_is_saved_composed(stub, tg_bot, tg_kb):
    import unicodedata

    name = unicodedata.normalize("NFD", "Kế hoạch tuyên truyền.md")
    sent = stub.push_document(ADMIN, ADMIN, name, DOC.encode(), "text/markdown")
    [saved, *_] = await _replies(stub, ADMIN, sent["message"], 1)
    assert "Kế hoạch tuyên truyền.md" in text_of(saved)  # once: "Ke_ hoa_ch tuye_n…"
    assert (tg_kb.knowledge_dir / "Kế hoạch tuyên truyền.md").exists()


async def test_a_reserved_name_is_refused_with_a_reason_not_saved_unindexed(stub, tg_bot, tg_kb):
    before = sorted(p.name for p in tg_kb.knowledge_dir.iterdir())
    sent = stub.push_document(ADMIN, ADMIN, "README.md", DOC.encode(), "text/markdown")
    [reply] = await _replies(stub, ADMIN, sent["message"], 1)
    assert "đổi tên tệp" in text_of(reply) and "Đã lưu" not in text_of(reply)
    assert sorted(p.name for p in tg_kb.knowledge_dir.iterdir()) == before
