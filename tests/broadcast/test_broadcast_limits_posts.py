"""The flood limiter's windows on a fake clock, and post validation as Telegram would judge it."""

from __future__ import annotations

from bot.broadcast.limits import FloodLimiter, Limits
from bot.broadcast.posts import PostContent, split_composed
from bot.chat import Attachment, Button


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_global_group_and_chat_windows():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=30, margin=0.0), clock=clock)
    for i in range(30):
        assert limiter.global_wait() == 0
        limiter.take(f"-{i}", True)
        limiter.settle()
    assert limiter.global_wait() > 0.99  # the 31st waits for the window
    clock.now += 1.0
    assert limiter.global_wait() == 0
    assert limiter.chat_wait("-0", True) == 0  # 1/s per chat has passed too
    group = FloodLimiter(Limits(per_second=1000, margin=0.0), clock=clock)
    for _ in range(20):
        assert group.chat_wait("-5", True) == 0
        group.take("-5", True)
        clock.now += 1.0
    assert group.chat_wait("-5", True) == 40  # 20 per minute per group: the first stamp ages out
    assert group.chat_wait("42", False) == 0  # a private chat has no per-group limit


def test_settle_moves_the_stamp_to_the_answer():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=1, margin=0.0), clock=clock)
    limiter.take("-1", True)
    clock.now += 0.3  # the answer came 0.3 s later: Telegram counted it somewhere in between
    limiter.settle()
    clock.now += 0.9
    assert round(limiter.global_wait(), 6) == 0.1


def test_retry_after_holds_only_that_chat():
    clock = Ticks()
    limiter = FloodLimiter(clock=clock)
    limiter.hold("-1", 5)
    assert limiter.chat_wait("-1", True) == 5 and limiter.chat_wait("-2", True) == 0


def test_post_validation_lengths_buttons_and_html():
    assert PostContent("<b>Đúng</b> &lt;3 <a href='https://a.vn'>x</a>").problems() == []
    assert "tối đa 4096" in " ".join(PostContent("a" * 4097).problems())
    caption = PostContent("a" * 1025, attachment=Attachment("photo", "file-id"))
    assert "tối đa 1024" in " ".join(caption.problems())
    bad_button = PostContent("x", buttons=((Button("Mở", url="javascript:alert(1)"),),))
    assert "không hợp lệ" in " ".join(bad_button.problems())
    assert PostContent("<script>x</script>").problems()[0] == "thẻ <script> không được dùng"
    text, buttons = split_composed("Bài\n[Một](https://a.vn) [Hai](https://b.vn)\n[Ba](tg://x)")
    assert text == "Bài" and [len(row) for row in buttons] == [2, 1]
    round_trip = PostContent("t", buttons, Attachment("document", "f", "a.pdf"))
    assert PostContent.from_json(round_trip.to_json()) == round_trip


def test_same_chat_id_on_two_platforms_has_two_limits() -> None:
    from bot.broadcast.deliveries import Job

    telegram = Job(1, 1, 1, "telegram", "-100", True, 0)
    mocha = Job(2, 1, 2, "mocha", "-100", True, 0)
    limiter = FloodLimiter(Limits(per_group_per_minute=1), clock=lambda: 0.0)
    limiter.take(telegram.limit_key, telegram.is_group)
    assert limiter.chat_wait(telegram.limit_key, True) > 0
    assert limiter.chat_wait(mocha.limit_key, True) == 0
