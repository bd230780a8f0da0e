"""Retention: the last N FINISHED, one FINISHED a month for six months, failed ones briefly;
and the publisher applies it without ever removing `latest`'s target."""
from datetime import date, timedelta

from publish.layout import FAILED, FINISHED, INCOMPLETE, snapshot_id
from publish.retention import Policy, keep
from conftest import make_outputs, record

TODAY = date(2026, 12, 1)


def _daily(days: int, status=FINISHED, start=TODAY) -> dict[str, str]:
    return {snapshot_id(start - timedelta(days=d), 1, "abcdef1234"): status for d in range(days)}


def test_the_last_thirty_finished_and_the_newest_of_each_of_six_months():
    snapshots = _daily(300)                       # one a day for ~ten months
    kept = keep(snapshots, TODAY)
    newest = sorted(snapshots, reverse=True)
    assert set(newest[:30]) <= kept
    monthly = kept - set(newest[:30])
    # Nov 2 .. Nov 30 are among the thirty; July..October keep their last day; June is too old
    assert sorted(monthly) == ["20260731.1-abcdef1234", "20260831.1-abcdef1234",
                               "20260930.1-abcdef1234", "20261031.1-abcdef1234"]
    assert len(kept) == 34


def test_the_number_kept_is_configurable():
    kept = keep(_daily(20), TODAY, Policy(finished=5, months=0))
    assert kept == set(sorted(_daily(20), reverse=True)[:5])


def test_failed_and_incomplete_are_kept_briefly_and_do_not_count_as_finished():
    snapshots = {**_daily(3), **{snapshot_id(TODAY - timedelta(days=d), 2, "bad0000000"): FAILED for d in range(10)},
                 snapshot_id(TODAY - timedelta(days=8), 3, "cccc000000"): INCOMPLETE}
    kept = keep(snapshots, TODAY, Policy(finished=2, months=0, failed_days=7))
    failed_kept = {s for s in kept if "bad" in s}
    assert failed_kept == {snapshot_id(TODAY - timedelta(days=d), 2, "bad0000000") for d in range(8)}
    assert not any("cccc" in s for s in kept)          # 8 days old: gone
    assert {s for s in kept if "abcdef" in s} == set(sorted(_daily(3), reverse=True)[:2])


def test_publishing_prunes_by_the_policy_and_keeps_latest(tmp_path, signer, clock):
    from publish.publisher import Publisher
    from conftest import REPO
    publisher = Publisher(tmp_path / "tree", signer, REPO, Policy(finished=2, months=0, failed_days=0),
                          progress=lambda m: None, now=clock)
    out = make_outputs(tmp_path / "b")
    names = []
    for commit, e2e in (("1" * 40, "passed"), ("2" * 40, "passed"), ("3" * 40, "passed"), ("4" * 40, "failed")):
        clock.when += timedelta(days=1)
        names.append(publisher.publish(out, record(commit, e2e=e2e)).name)
    on_disk = sorted(p.name for p in (tmp_path / "tree" / "snapshots").iterdir())
    # two FINISHED kept; today's incomplete one kept (0 days old); the oldest FINISHED removed
    assert on_disk == sorted([names[1], names[2], names[3], "latest"])
    assert publisher.latest() == names[2]
