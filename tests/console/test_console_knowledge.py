"""The knowledge base page over real HTTP: the documents, upload, remove, rebuild with
progress — through the same checks and rebuild as a file sent in chat and /capnhat."""

from __future__ import annotations

from console_helpers import (
    ADMIN,
    MEMBER,
    MODERATOR,
    csrf_of,
    docx_bytes,
    link_for,
    make_moderator,
    rebuilt,
    say,
    sign_in,
)

DOCX = docx_bytes(
    "Hướng dẫn sinh hoạt chi bộ",
    "I - QUY ĐỊNH CHUNG",
    "1. Chi bộ sinh hoạt định kỳ mỗi tháng một lần vào ngày mồng năm hằng tháng.",
)


async def admin_page(stub, client):
    await sign_in(client, await link_for(stub, ADMIN))
    page = await client.get("/console/tailieu")
    assert page.status_code == 200
    return page


async def test_documents_are_listed_with_what_they_say_of_themselves(
    console_bot, stub, browser_client
):
    page = await admin_page(stub, browser_client)
    html = page.text
    assert "Kế hoạch số 10-KH/ĐUK" in html and "kế hoạch" in html
    assert "Bùi Quang Nhựt" in html  # the approver from the front matter
    assert "Ban Thường vụ Đảng ủy Khối" in html
    assert "ke-hoach-10-KH-DUK-tuyen-truyen-dai-hoi-XIV.md" in html
    assert "Đang dùng bản lập lúc" in html and "chờ cập nhật" not in html
    assert '<label for="tep">' in html and 'accept=".docx,.pdf,.txt,.md,.html"' in html


async def test_an_uploaded_docx_is_indexed_and_answers_in_chat(console_bot, stub, browser_client):
    page = await admin_page(stub, browser_client)
    saved = await browser_client.post(
        "/console/tailieu/tai-len",
        data={"csrf": csrf_of(page.text)},
        files={"tep": ("Sinh hoạt chi bộ.docx", DOCX, "application/octet-stream")},
        follow_redirects=True,
    )
    assert "Đã lưu tệp Sinh hoạt chi bộ.docx" in saved.text
    state = await rebuilt(browser_client)
    assert not state["failed"] and "Đã cập nhật" in state["result"], state
    listing = await browser_client.get("/console/tailieu")
    assert "Hướng dẫn sinh hoạt chi bộ" in listing.text and "chờ cập nhật" not in listing.text
    kb = console_bot.services.knowledge
    assert (kb.knowledge_dir / "Sinh hoạt chi bộ.docx").read_bytes() == DOCX
    answer = await say(stub, MEMBER, "Chi bộ sinh hoạt định kỳ vào ngày nào?")
    assert "mồng năm" in answer and "Hướng dẫn sinh hoạt chi bộ" in answer


async def test_files_the_chat_refuses_are_refused_here_too(console_bot, stub, browser_client):
    page = await admin_page(stub, browser_client)
    csrf = csrf_of(page.text)
    before = sorted(p.name for p in console_bot.services.knowledge.knowledge_dir.iterdir())
    for name, content, reason in [
        ("virus.exe", b"MZ\x90\x00", ".docx, .pdf, .txt, .md hoặc .html"),
        ("README.md", b"# ghi chu", "dành cho ghi chú"),
        ("lon.pdf", b"%PDF" + b"0" * 10_000_001, "quá lớn"),
    ]:
        refused = await browser_client.post(
            "/console/tailieu/tai-len",
            data={"csrf": csrf},
            files={"tep": (name, content, "application/octet-stream")},
            follow_redirects=True,
        )
        assert reason in refused.text, name
    huge = await browser_client.post(
        "/console/tailieu/tai-len",
        data={"csrf": csrf},
        files={"tep": ("rat-lon.pdf", b"%PDF" + b"0" * 12_000_000, "application/pdf")},
    )
    assert huge.status_code == 413  # refused before the body is read
    assert sorted(p.name for p in console_bot.services.knowledge.knowledge_dir.iterdir()) == before


async def test_removing_a_document_rebuilds_without_it(console_bot, stub, browser_client):
    page = await admin_page(stub, browser_client)
    await browser_client.post(
        "/console/tailieu/tai-len",
        data={"csrf": csrf_of(page.text)},
        files={"tep": ("sinh-hoat.docx", DOCX, "application/octet-stream")},
    )
    await rebuilt(browser_client)
    removed = await browser_client.post(
        "/console/tailieu/xoa",
        data={"csrf": csrf_of(page.text), "tep": "sinh-hoat.docx"},
        follow_redirects=True,
    )
    assert "Đã xóa sinh-hoat.docx" in removed.text
    await rebuilt(browser_client)
    listing = await browser_client.get("/console/tailieu")
    assert "sinh-hoat.docx" not in listing.text
    assert not (console_bot.services.knowledge.knowledge_dir / "sinh-hoat.docx").exists()
    outside = await browser_client.post(
        "/console/tailieu/xoa",
        data={"csrf": csrf_of(page.text), "tep": "../data/bot.sqlite3"},
        follow_redirects=True,
    )
    assert "Không có tài liệu" in outside.text


async def test_rebuild_shows_progress_and_its_summary(console_bot, stub, browser_client):
    page = await admin_page(stub, browser_client)
    started = await browser_client.post(
        "/console/tailieu/capnhat", data={"csrf": csrf_of(page.text)}, follow_redirects=True
    )
    assert "Bắt đầu cập nhật" in started.text or "Đã cập nhật" in started.text
    state = await rebuilt(browser_client)
    assert not state["failed"] and state["result"]
    after = await browser_client.get("/console/tailieu")
    assert state["result"].split("\n")[0] in after.text


async def test_only_admins_manage_the_knowledge_base(console_bot, stub, browser_client):
    await make_moderator(stub, MODERATOR)
    await sign_in(browser_client, await link_for(stub, MODERATOR))
    assert (await browser_client.get("/console/tailieu")).status_code == 403
    assert (await browser_client.get("/console/tailieu/tiendo")).status_code == 403
    csrf = csrf_of((await browser_client.get("/console/")).text)
    refused = await browser_client.post("/console/tailieu/capnhat", data={"csrf": csrf})
    assert refused.status_code == 403
