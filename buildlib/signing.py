"""The repository signing key: configured (XENHOST_SIGNING_KEY) or made on first use.

The key lives in the cache's own GnuPG home, never in the repository; its public half is
exported beside the repositories so hosts and image builds can verify them.
"""
import os
from pathlib import Path

from . import hosttools
from .config import BuildConfig
from .run import run

DEFAULT_UID = "xenhost repository signing key <build@xenhost.invalid>"


class Signer:
    def __init__(self, config: BuildConfig):
        hosttools.require("gpg")
        self.home = config.cache("gnupg")
        os.chmod(self.home, 0o700)
        self.key_id = os.environ.get("XENHOST_SIGNING_KEY") or self._ensure_key()

    def _gpg(self, *args, capture=True, **kw) -> str:
        return run(["gpg", "--homedir", self.home, "--batch", "--yes", "--pinentry-mode", "loopback",
                    "--passphrase", "", *args], capture=capture, **kw)

    def _ensure_key(self) -> str:
        listing = self._gpg("--with-colons", "--list-secret-keys")
        if DEFAULT_UID not in listing:
            self._gpg("--quick-gen-key", DEFAULT_UID, "rsa3072", "sign", "never")
            listing = self._gpg("--with-colons", "--list-secret-keys", DEFAULT_UID)
        return next(ln.split(":")[4] for ln in listing.splitlines() if ln.startswith("sec:"))

    def fingerprint(self) -> str:
        """The key's full fingerprint (what people compare, and what gpgv's VALIDSIG names)."""
        listing = self._gpg("--with-colons", "--fingerprint", self.key_id)
        return next(ln.split(":")[9] for ln in listing.splitlines() if ln.startswith("fpr:"))

    def export_public(self, dest_dir: Path) -> Path:
        """Binary keyring (apt's signed-by, kiwi) and armored copy (rpm --import)."""
        binary = dest_dir / "xenhost-archive-keyring.gpg"
        binary.write_bytes(b"")
        self._gpg("--output", binary, "--export", self.key_id)
        self._gpg("--armor", "--output", dest_dir / "RPM-GPG-KEY-xenhost", "--export", self.key_id)
        return binary

    def clearsign(self, src: Path, dest: Path) -> None:
        self._gpg("--local-user", self.key_id, "--digest-algo", "SHA512", "--clearsign",
                  "--output", dest, src)

    def detach_sign(self, src: Path, dest: Path, armor: bool = False) -> None:
        self._gpg("--local-user", self.key_id, "--digest-algo", "SHA512",
                  *(["--armor"] if armor else []), "--detach-sign", "--output", dest, src)
