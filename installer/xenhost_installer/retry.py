"""Bounded retries with exponential backoff, for fetches that race the network coming up.

One policy for the answer file, hook scripts and the network image: a transient failure (no
route yet, connection refused, a reset mid-transfer) is retried a bounded number of times with
growing pauses, and each retry is announced (on the console when the caller says so), so an
operator watching a rack boot sees why a host waits; a definite answer (HTTP 404, a bad
signature) is never retried.
"""
import logging
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)


class Transient(Exception):
    """Wraps a failure worth retrying; `reason` is shown to the operator."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Backoff:
    attempts: int = 12          # tries in all (1 = no retry)
    first: float = 2.0          # seconds before the second try
    factor: float = 2.0
    cap: float = 15.0           # no single pause longer than this

    def delays(self):
        """The pause before each retry: first, first*factor, ... capped (attempts - 1 of them)."""
        delay, out = self.first, []
        for _ in range(self.attempts - 1):
            out.append(min(delay, self.cap))
            delay *= self.factor
        return out

    def total(self):
        return sum(self.delays())


def with_retries(action, backoff, what, sleep=time.sleep, announce=None):
    """Run action() until it returns; on Transient, pause and try again, at most backoff.attempts
    times. Returns action's value; re-raises the last Transient when every attempt failed.
    announce(text): called before each pause (e.g. print on the console)."""
    delays = backoff.delays()
    for attempt in range(1, backoff.attempts + 1):
        try:
            return action()
        except Transient as exc:
            if attempt == backoff.attempts:
                raise
            pause = delays[attempt - 1]
            text = "%s: %s; retrying in %ss (attempt %d of %d)" % (what, exc.reason, _seconds(pause), attempt + 1,
                                                                   backoff.attempts)
            log.info(text)
            if announce:
                announce(text)
            sleep(pause)
    raise AssertionError("unreachable")


def _seconds(value):
    return ("%d" % value) if float(value).is_integer() else ("%.1f" % value)
