"""Which snapshots to keep: a pure function of their ids, statuses and today's date.

Kept: the newest `finished` FINISHED snapshots (30 by default: the 2013 XenServer project's
"last thirty trunk builds"), plus the newest FINISHED snapshot of each of the last `months`
calendar months (XCP-ng keeps one a month for about six months), plus every snapshot that did
not finish if it is at most `failed_days` old (kept briefly, to read what went wrong).
"""
from dataclasses import dataclass
from datetime import date

from .layout import FINISHED, parse_id, sort_key


@dataclass(frozen=True)
class Policy:
    finished: int = 30
    months: int = 6
    failed_days: int = 7


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def keep(snapshots: dict[str, str], today: date, policy: Policy = Policy()) -> set[str]:
    """snapshots: id -> status. Returns the ids to keep."""
    newest_first = sorted(snapshots, key=sort_key, reverse=True)
    finished = [s for s in newest_first if snapshots[s] == FINISHED]
    kept = set(finished[:policy.finished])
    monthly: dict[int, str] = {}
    for name in finished:
        month = _month_index(parse_id(name)[0])
        if _month_index(today) - month < policy.months:
            monthly.setdefault(month, name)          # newest first: the month's newest
    kept |= set(monthly.values())
    kept |= {s for s in newest_first
             if snapshots[s] != FINISHED and (today - parse_id(s)[0]).days <= policy.failed_days}
    return kept
