"""CHANGES: what differs from the previous FINISHED snapshot (commits and package versions)."""
import subprocess
from pathlib import Path


def commits(repo_root: Path, previous: str, current: str) -> list[str]:
    """`git log` between the two commits, oldest last; a note when git cannot tell."""
    done = subprocess.run(["git", "-C", str(repo_root), "log", "--no-merges", "--format=%h %s",
                           f"{previous}..{current}"], capture_output=True, text=True)
    if done.returncode != 0:
        return [f"(the commits since {previous[:10]} are not known to this checkout: "
                f"{done.stderr.strip() or 'git log failed'})"]
    return done.stdout.splitlines()


def package_changes(before: list[dict], after: list[dict]) -> list[str]:
    old = {(p["name"], p["arch"]): p["version"] for p in before}
    new = {(p["name"], p["arch"]): p["version"] for p in after}
    lines = []
    for key in sorted(set(old) | set(new)):
        name = f"{key[0]}.{key[1]}"
        if key not in old:
            lines.append(f"added    {name} {new[key]}")
        elif key not in new:
            lines.append(f"removed  {name} {old[key]}")
        elif old[key] != new[key]:
            lines.append(f"updated  {name} {old[key]} -> {new[key]}")
    return lines


def changes_text(repo_root: Path, previous: dict | None, manifest: dict) -> str:
    head = f"Snapshot {manifest['id']} (commit {manifest['commit']})\n"
    if previous is None:
        return head + "First snapshot: no previous FINISHED snapshot to compare with.\n"
    log = commits(repo_root, previous["commit"], manifest["commit"])
    versions = package_changes(previous.get("packages", []), manifest.get("packages", []))
    return (head + f"Since {previous['id']} (the previous FINISHED snapshot, commit {previous['commit']}):\n\n"
            + f"Commits ({len(log)}):\n" + "".join(f"  {c}\n" for c in log or ["(none)"])
            + "\nPackage versions:\n" + "".join(f"  {v}\n" for v in versions or ["(unchanged)"]))
