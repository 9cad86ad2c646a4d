"""When `qingqian up` starts a crashed process again, and when it gives up: pure
arithmetic over the times of the crashes, so it is tested without processes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RestartPolicy:
    """Capped exponential backoff, and a limit of crashes within a sliding window."""

    max_crashes: int = 5
    window: float = 60.0
    first_delay: float = 1.0
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.max_crashes < 1:
            raise ValueError("--max-crashes must be at least 1")
        if self.window <= 0:
            raise ValueError("--crash-window must be a positive number of seconds")
        if not 0 < self.first_delay <= self.max_delay:
            raise ValueError(
                "restart delays must be positive, the first at most the cap"
            )


@dataclass(frozen=True)
class Verdict:
    """What to do after one crash: start again after `delay` seconds, or give up."""

    is_giving_up: bool
    delay: float
    crashes_in_window: int


@dataclass
class CrashHistory:
    """The crashes of one process that still count (those within the window)."""

    policy: RestartPolicy
    times: list[float] = field(default_factory=list)

    def record(self, at: float) -> Verdict:
        """Count a crash at monotonic time `at`; the delay doubles with every crash
        still in the window and falls back to the first once the window is quiet."""
        self.times = [t for t in self.times if at - t < self.policy.window]
        self.times.append(at)
        crashes = len(self.times)
        if crashes >= self.policy.max_crashes:
            return Verdict(is_giving_up=True, delay=0.0, crashes_in_window=crashes)
        delay = min(self.policy.first_delay * 2 ** (crashes - 1), self.policy.max_delay)
        return Verdict(is_giving_up=False, delay=delay, crashes_in_window=crashes)
