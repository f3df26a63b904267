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
        limiter.settle(limiter.take(f"-{i}", True))
    assert limiter.global_wait() > 0.99  # the 31st waits for the window
    clock.now += 1.0
    assert limiter.global_wait() == 0
    assert limiter.chat_wait("-0", True) == 0  # 1/s per chat has passed too
    group = FloodLimiter(Limits(per_second=1000, margin=0.0), clock=clock)
    for _ in range(20):
        assert group.chat_wait("-5", True) == 0
        group.settle(group.take("-5", True))
        clock.now += 1.0
    assert group.chat_wait("-5", True) == 40  # 20 per minute per group: the first stamp ages out
    assert group.chat_wait("42", False) == 0  # a private chat has no per-group limit


def test_settle_stamps_the_answer_less_the_shortest_round_trip():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=1, margin=0.0, trust_after=0), clock=clock)
    grant = limiter.take("-1", True)
    clock.now += 0.2  # the shortest round trip so far
    limiter.settle(grant)  # stamped at 100.0: a request leaving at 101.0 arrives after 101.0
    clock.now += 0.7
    assert round(limiter.global_wait(), 6) == 0.1
    clock.now += 0.1
    grant = limiter.take("-2", True)
    clock.now += 0.5  # queued on our side: Telegram saw it at most 0.2 s before the answer
    limiter.settle(grant)  # stamped at 101.3
    clock.now += 0.5
    assert round(limiter.global_wait(), 6) == 0.3


def test_sends_in_flight_count_and_never_age_out():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=3, reply_reserve=1, margin=0.0), clock=clock)
    grants = [limiter.take(f"-{i}", True) for i in range(3)]
    clock.now += 5.0  # still no answer: they may reach Telegram any moment
    assert limiter.global_wait() > 0
    limiter.cancel(grants[0])  # never sent (claimed by someone else)
    assert limiter.global_wait() == 0
    limiter.settle(limiter.take("-3", True))  # answered at once: a way back can take ~0 s
    limiter.settle(grants[1])
    limiter.settle(grants[2])
    assert limiter.global_wait() > 0.9


async def test_replies_go_ahead_of_broadcasts():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=10, reply_reserve=3, margin=0.0), clock=clock)
    for i in range(7):
        limiter.settle(limiter.take(f"t:-{i}", True))
    assert limiter.global_wait("t:-9") == 0  # no member waiting: the whole budget
    reply = await limiter.reply_slot("t:42")  # a member's answer takes a slot at once
    limiter.settle(reply)
    assert limiter.global_wait("t:-9") > 0  # 8 of 10 used: broadcasts keep 3 free now
    for _ in range(2):
        limiter.settle(await limiter.reply_slot("t:43"))
    assert limiter.global_wait("t:-9") > 0
    clock.now += 3.0  # members quiet, window passed: broadcasts have all 10 again
    assert limiter.global_wait("t:-9") == 0
    assert limiter.global_wait("mocha:-9") == 0  # another platform: another budget


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


def test_round_trips_are_learnt_per_platform_and_from_answers_only():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=1, margin=0.0, trust_after=0), clock=clock)
    refused = limiter.take("telegram:-1", True)
    clock.now += 0.001  # a refused connection: no measure of the way to Telegram
    limiter.settle(refused, answered=False)
    lan = limiter.take("mocha:g-1", True)
    clock.now += 0.002  # a connector next door: says nothing about Telegram either
    limiter.settle(lan)
    clock.now += 2.0
    grant = limiter.take("telegram:-2", True)
    clock.now += 0.2
    limiter.settle(grant)  # Telegram's shortest trip is this one: stamped 0.2 s back
    clock.now += 0.8
    assert limiter.global_wait("telegram:-3") == 0


def test_the_shortest_round_trip_is_trusted_as_answers_accumulate():
    clock = Ticks()
    limiter = FloodLimiter(Limits(per_second=1, margin=0.0, trust_after=3), clock=clock)
    grant = limiter.take("telegram:-1", True)
    clock.now += 0.4  # the first trip opened a connection: 0.4 s, trusted for a quarter
    limiter.settle(grant)  # stamped at 100.3, not 100.0
    clock.now += 0.6
    assert round(limiter.global_wait("telegram:-2"), 6) == 0.3
    for i in range(2, 5):  # three more answers, as slow
        clock.now += 1.0
        grant = limiter.take(f"telegram:-{i}", True)
        clock.now += 0.4
        limiter.settle(grant)
    # four answers: 4/7 of the shortest trip (0.229 s) now, the window ends 0.771 s on
    clock.now += 0.76
    assert limiter.global_wait("telegram:-9") > 0
    clock.now += 0.02
    assert limiter.global_wait("telegram:-9") == 0
