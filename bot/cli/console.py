"""`python -m bot run` with no platform configured: the console chat on this terminal."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.app import Services, build_services, make_knowledge_base
from bot.cli.reporting import open_with_progress
from bot.platforms.console import ConsolePlatform
from bot.settings import Settings

GREETING = (
    "Trợ lý hỏi đáp văn bản đã phê duyệt — chế độ cửa sổ lệnh (chưa cấu hình BOT_TELEGRAM_TOKEN).\n"
    "Gõ câu hỏi rồi nhấn Enter. /khac: kết quả khác; !số: bấm nút; /giup: các lệnh; /thoat."
)
QUIT = ("/thoat", "/quit", "/exit")
NO_MORE = "Không còn kết quả khác."


async def chat(services: Services, stdin: TextIO, stdout: TextIO) -> int:
    """Read lines until end of input or /thoat; each is a message to the assistant.

    The delivery engine does not run here (no group is reachable from a terminal): posts
    scheduled in the console go out when `run` has Telegram or the bridge configured.
    """
    platform = ConsolePlatform(stdout)
    services.platforms[platform.name] = platform
    await services.assistant.start()
    print(GREETING, file=stdout, flush=True)
    number = 0
    try:
        while line := await asyncio.to_thread(stdin.readline):
            line = line.strip()
            if not line:
                continue
            if line in QUIT:
                break
            if line in ("/khac", "/more") or line.startswith("!"):
                press = platform.press(line)
                if press is None:
                    print(NO_MORE, file=stdout, flush=True)
                else:
                    await services.assistant.handle_press(press, platform)
                continue
            number += 1
            await services.assistant.handle_message(platform.message(line, str(number)), platform)
    finally:
        await services.reloader.stop()
    return 0


def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    knowledge = open_with_progress(make_knowledge_base(settings))
    services = build_services(settings, knowledge=knowledge)
    try:
        return asyncio.run(chat(services, stdin, stdout))
    finally:
        services.store.close()
