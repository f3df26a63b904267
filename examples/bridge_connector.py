"""A reference bridge connector: chat with the bot from a terminal (Python standard library only).

It does what a real Mocha connector does, with the terminal standing in for the messenger:
each line you type becomes a signed `message` update posted to the bot, and a small HTTP
receiver prints the bot's signed deliveries (replies, edits, press answers). See
docs/bridge.md for the contract. Start the bot with BOT_BRIDGE_PLATFORMS pointing its "url"
at this receiver (http://127.0.0.1:<listen>/outbound), then:

    python examples/bridge_connector.py --bot http://127.0.0.1:8080 --secret <secret>

Type a question. "!2" presses button 2 of the last message that had buttons; "/quit" ends.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sign(secret: str, body: bytes) -> dict[str, str]:
    """The two signature headers for `body`, signed now."""
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Bridge-Timestamp": ts, "X-Bridge-Signature": "sha256=" + digest}


def verified(secret: str, headers, body: bytes) -> bool:
    ts = headers.get("X-Bridge-Timestamp", "")
    claimed = headers.get("X-Bridge-Signature", "")
    expected = (
        "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    fresh = ts.isdigit() and abs(time.time() - int(ts)) <= 300
    return fresh and hmac.compare_digest(expected, claimed)


class Terminal:
    """The "messenger": prints what the bot sends, remembers the last buttons."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.delivered: dict[str, str] = {}  # delivery_id -> message id (dedupe retries)
        self.ids = itertools.count(1)
        self.buttons: list[dict] = []
        self.buttons_message = ""
        self.seen: list[dict] = []  # every delivery shown, for `wait_for`
        self.changed = threading.Condition(self.lock)

    def wait_for(self, predicate, timeout: float) -> bool:
        """Until a delivery matching `predicate` has been shown (so the chat reads in order)."""
        with self.changed:
            return self.changed.wait_for(lambda: any(predicate(d) for d in self.seen), timeout)

    def show(self, delivery: dict) -> dict:
        with self.lock:
            if delivery["delivery_id"] in self.delivered:  # a retry of what we showed
                return {"message_id": self.delivered[delivery["delivery_id"]]}
            action = delivery["action"]
            message_id = delivery.get("message_id") or f"term-{next(self.ids)}"
            if action in ("send", "edit"):
                head = "bot" if action == "send" else f"bot (sửa tin {message_id})"
                print(f"\n[{head}] {delivery.get('text', '')}")
                flat = [b for row in delivery.get("buttons", []) for b in row]
                if flat:
                    self.buttons, self.buttons_message = flat, message_id
                    print("  " + "  ".join(f"!{i} {b['text']}" for i, b in enumerate(flat, 1)))
            elif action == "answer_press" and delivery.get("text"):
                print(f"\n[bot] ({delivery['text']})")
            elif action == "pin":
                print(f"\n[bot] (ghim tin {message_id})")
            if action != "answer_press" or delivery.get("text"):
                print("> ", end="", flush=True)
            self.delivered[delivery["delivery_id"]] = message_id
            self.seen.append(delivery)
            self.changed.notify_all()
            return {"message_id": message_id}


def serve_receiver(port: int, secret: str, terminal: Terminal) -> ThreadingHTTPServer:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not verified(secret, self.headers, body):
                self._answer(401, {"error": "bad_signature", "message": "signature"})
                return
            self._answer(200, terminal.show(json.loads(body)))

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def post(bot: str, secret: str, update: dict) -> None:
    """Post one update; retry network errors and 5xx (a 409 means the bot already has it)."""
    body = json.dumps(update, ensure_ascii=False).encode()
    for attempt in range(3):
        request = urllib.request.Request(
            bot.rstrip("/") + "/bridge/v1/updates",
            data=body,
            headers={"Content-Type": "application/json", **sign(secret, body)},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10):
                return
        except urllib.error.HTTPError as exc:
            with exc:  # the error is the response: it holds the connection until closed
                if exc.code == 409:
                    return
                if exc.code < 500:
                    refusal = exc.read().decode()
                    print(f"[connector] refused {exc.code}: {refusal}", file=sys.stderr)
                    return
        except OSError as exc:
            print(f"[connector] {exc}; retrying", file=sys.stderr)
        time.sleep(0.5 * 2**attempt)
    print("[connector] the bot cannot be reached", file=sys.stderr)


def press(args, base: dict, terminal: Terminal, number: int, press_id: str) -> None:
    """Press button `number` of the last message that had buttons."""
    if not terminal.buttons:
        print("(chưa có nút nào)\n> ", end="", flush=True)
        return
    button = terminal.buttons[max(min(number, len(terminal.buttons)), 1) - 1]
    if button.get("url"):
        print(f"(liên kết: {button['url']})\n> ", end="", flush=True)
        return
    update = {
        **base,
        "type": "press",
        "user_id": args.user,
        "message_id": terminal.buttons_message,
        "data": button["data"],
        "press_id": press_id,
        "timestamp": int(time.time()),
    }
    post(args.bot, args.secret, update)
    terminal.wait_for(lambda d: d.get("press_id") == press_id, 10)


def main() -> int:
    parser = argparse.ArgumentParser(description="a terminal connector for the bot's bridge")
    parser.add_argument("--bot", default="http://127.0.0.1:8080", help="the bot's HTTP address")
    parser.add_argument("--secret", required=True, help="the platform's shared secret")
    parser.add_argument("--platform", default="mocha")
    parser.add_argument("--listen", type=int, default=9000, help="port of the receiver")
    parser.add_argument("--user", default="terminal-user", help="your user id")
    parser.add_argument("--chat", default="", help="chat id (default: a private chat)")
    parser.add_argument("--group", action="store_true", help="talk in a group (mention the bot)")
    parser.add_argument("--linger", type=float, default=3.0, help="seconds to wait at the end")
    args = parser.parse_args()
    terminal = Terminal()
    receiver = serve_receiver(args.listen, args.secret, terminal)
    chat_id = args.chat or (f"group-{args.user}" if args.group else f"dm-{args.user}")
    chat_type = "group" if args.group else "private"
    base = {"platform": args.platform, "chat_id": chat_id}
    if args.group:
        post(
            args.bot,
            args.secret,
            {
                **base,
                "type": "membership",
                "chat_type": "group",
                "chat_title": "Nhóm thử",
                "status": "member",
                "event_id": f"join-{time.time()}",
                "timestamp": int(time.time()),
            },
        )
    print(f"connector: receiver on 127.0.0.1:{args.listen}/outbound; type a question")
    print("> ", end="", flush=True)
    run = f"{int(time.time())}"  # message ids stay unique across runs
    for n, line in enumerate(sys.stdin, 1):
        text = line.strip()
        if text in ("/quit", "/thoat"):
            break
        if text.startswith("!") and text[1:].isdigit():
            press(args, base, terminal, int(text[1:]), f"press-{run}-{n}")
        elif text:
            message_id = f"{run}-{n}"
            update = {
                **base,
                "type": "message",
                "chat_type": chat_type,
                "chat_title": "Nhóm thử" if args.group else "",
                "user_id": args.user,
                "display_name": args.user,
                "message_id": message_id,
                "text": text,
                "addressed": True,
                "timestamp": int(time.time()),
            }
            post(args.bot, args.secret, update)
            # the bot answers every addressed message: wait for it, so the chat reads in order
            terminal.wait_for(lambda d, m=message_id: d.get("reply_to_message_id") == m, 60)
    time.sleep(args.linger)  # answers to the last lines may still be on their way
    receiver.shutdown()
    receiver.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
