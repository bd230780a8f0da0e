"""The packages of a snapshot, read from its RPM repository: name, version, arch, and the
SHA-256 of every source the package was built from (as its SRPM records them)."""
from pathlib import Path

# rpm's digest algorithm numbers (RPMTAG_FILEDIGESTALGO): 8 is SHA-256, rpm 4.18's default.
SHA256 = 8


def _header(path: Path):
    import rpm  # noqa: PLC0415 - Debian's python3-rpm, present on build hosts
    ts = rpm.TransactionSet()
    ts.setVSFlags(rpm._RPMVSF_NOSIGNATURES | rpm._RPMVSF_NODIGESTS)
    with open(path, "rb") as f:
        return ts.hdrFromFdno(f.fileno())


def _sources(srpm: Path) -> dict[str, str]:
    import rpm  # noqa: PLC0415
    header = _header(srpm)
    if header[rpm.RPMTAG_FILEDIGESTALGO] not in (SHA256, None, 0):
        return {}
    return {name: digest for name, digest in zip(header[rpm.RPMTAG_BASENAMES], header[rpm.RPMTAG_FILEDIGESTS])
            if not name.endswith(".spec")}


def packages(rpm_repo: Path) -> list[dict]:
    import rpm  # noqa: PLC0415
    srpms = {p.name: p for p in (rpm_repo / "SRPMS").glob("*.src.rpm")}
    found = []
    for path in sorted((rpm_repo / "RPMS").glob("*.rpm")):
        header = _header(path)
        source_rpm = header[rpm.RPMTAG_SOURCERPM]
        found.append({
            "name": header[rpm.RPMTAG_NAME],
            "version": f"{header[rpm.RPMTAG_VERSION]}-{header[rpm.RPMTAG_RELEASE]}",
            "arch": header[rpm.RPMTAG_ARCH],
            "source_rpm": source_rpm,
            "sources": _sources(srpms[source_rpm]) if source_rpm in srpms else {},
        })
    return found
