"""xenhost-setup --answers FILE: an answer file in the installer's schema, checked by the installer's
own rules (only the keys given; what the schema requires elsewhere, such as disk.primary, is not
asked of a host that is already installed), turned into the wizard's answers and sections."""
from xenhost_installer.answers import fetch_text, parse_text
from xenhost_installer.password import hash_password
from xenhost_installer.ui import checks

from ..errors import FirstbootError

USED = ("version", "root-password", "network", "hostname", "disk", "storage")


def from_answer_file(location):
    """(answers, sections) from the file at location (a path or an http(s) URL)."""
    given = parse_text(fetch_text(location), location)
    if not isinstance(given, dict):
        raise FirstbootError(f"{location}: not a mapping of answers", "start from the example in README.md")
    unused = sorted(set(given) - set(USED))
    if unused:
        raise FirstbootError(f"{location}: xenhost-setup does not apply {', '.join(unused)}",
                             f"remove them; it applies {', '.join(USED[1:])}")
    update = {k: v for k, v in given.items() if k != "version"}
    if isinstance(update.get("disk"), dict):
        # disk.primary is the installer's target; an installed host has none to give (never used here)
        update["disk"] = dict({"primary": "/dev/xenhost-setup-no-primary"}, **update["disk"])
    wrong = checks.problems({}, update)
    if wrong:
        raise FirstbootError(f"{location} is invalid: " + "; ".join(wrong), "correct the keys named")
    answers, sections = {}, []
    password = given.get("root-password") or {}
    if "plaintext" in password or "hash" in password:
        answers["root-password"] = {"hash": password.get("hash") or hash_password(password["plaintext"])}
        sections.append("root-password")
    if "network" in given:
        answers["network"] = dict(given["network"])
        sections.append("network")
    if "hostname" in given:
        answers["hostname"] = given["hostname"]
        sections.append("hostname")
    guests = (given.get("disk") or {}).get("guest")
    if guests is not None:
        answers["local-sr"] = {"disk": guests[0] if guests else None}
        answers["storage"] = dict(given.get("storage") or {"type": "lvm"})
        sections.append("local-sr")
    return answers, sections
