"""Knowledge base (admins): the documents, upload (.docx .pdf .txt .md .html), remove, and
rebuild with live progress.

The same path as a file sent in chat and /capnhat: uploads.check_upload / save_upload (the
same names, types and size limit), then the Reloader's rebuild — parsed in the sandbox with
its limits, swapped in atomically, the old index answering meanwhile and kept on failure.
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.assistant.uploads import UPLOAD_SUFFIXES, UploadRefused, check_upload, save_upload
from bot.commands import Role
from bot.console import library
from bot.console.deps import ConsoleDeps
from bot.console.identity import Viewer
from bot.console.render import NavItem
from bot.markup import plain

NAV = NavItem("/tailieu", "Tài liệu", Role.ADMIN)
BUSY = "Đang có một lần cập nhật chạy: tệp sẽ được đưa vào khi bấm «Cập nhật» lần nữa."


def routes(deps: ConsoleDeps) -> list[BaseRoute]:
    parts, render = deps.parts, deps.render
    knowledge, reloader = parts.knowledge, parts.reloader

    def rebuild() -> str:
        return "đang cập nhật chỉ mục." if reloader.start(None, None) else BUSY

    @deps.gate.require(Role.ADMIN)
    async def show(request: Request, viewer: Viewer) -> Response:
        lib = await asyncio.to_thread(library.read, knowledge, parts.config.timezone)
        return render.page(
            request,
            "tailieu.html",
            viewer,
            title=NAV.label,
            lib=lib,
            state=reloader.state,
            running=reloader.running,
            result=plain(reloader.state.result),
            accept=",".join(UPLOAD_SUFFIXES),
            limit_mb=parts.config.max_upload_bytes / 1e6,
        )

    @deps.gate.require(Role.ADMIN)
    async def progress(request: Request, viewer: Viewer) -> Response:
        state = reloader.state
        return JSONResponse(
            {
                "running": reloader.running,
                "stage": state.stage,
                "done": state.done,
                "total": state.total,
                "result": plain(state.result),
                "failed": state.failed,
            },
            headers={"Cache-Control": "no-store"},
        )

    @deps.gate.require(Role.ADMIN)
    async def upload(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        sent = form.get("tep")
        if not isinstance(sent, UploadFile) or not sent.filename:
            return render.back("/tailieu", failed="Chọn một tệp để tải lên.")
        limit = parts.config.max_upload_bytes
        try:
            name = check_upload(sent.filename, sent.size or 0, limit)
        except UploadRefused as exc:
            return render.back("/tailieu", failed=plain(str(exc)))
        content = await sent.read(limit + 1)
        if len(content) > limit:  # a client that understated the size
            return render.back("/tailieu", failed=f"Tệp quá lớn. Giới hạn là {limit / 1e6:.0f} MB.")
        existed = await asyncio.to_thread(save_upload, knowledge.knowledge_dir, name, content)
        verb = "Đã thay thế" if existed else "Đã lưu"
        return render.back("/tailieu", told=f"{verb} tệp {name}; {rebuild()}")

    @deps.gate.require(Role.ADMIN)
    async def remove(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        path = str(form.get("tep") or "")
        target = await asyncio.to_thread(library.removable, knowledge, path)
        if target is None:
            return render.back("/tailieu", failed=f"Không có tài liệu «{path}».")
        await asyncio.to_thread(target.unlink)
        return render.back("/tailieu", told=f"Đã xóa {path}; {rebuild()}")

    @deps.gate.require(Role.ADMIN)
    async def refresh(request: Request, viewer: Viewer) -> Response:
        text = rebuild()
        if text == BUSY:
            return render.back("/tailieu", failed="Đang có một lần cập nhật chạy.")
        return render.back("/tailieu", told="Bắt đầu cập nhật chỉ mục.")

    return [
        Route("/tailieu", show, methods=["GET"]),
        Route("/tailieu/tiendo", progress, methods=["GET"]),
        Route("/tailieu/tai-len", upload, methods=["POST"]),
        Route("/tailieu/xoa", remove, methods=["POST"]),
        Route("/tailieu/capnhat", refresh, methods=["POST"]),
    ]
