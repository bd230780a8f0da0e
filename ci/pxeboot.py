"""Stage out/pxe/ for a PXE boot under qemu: a TFTP folder (loaders + boot configs rendered for the
test's HTTP server) and an HTTP folder (the large files, answer files), as a site would serve them.

qemu's user network has its own DHCP and a read-only TFTP server (`-netdev user,tftp=DIR,
bootfile=FILE`, one boot file per NIC); the guest reaches the host's loopback HTTP server as
10.0.2.2. The boot configs come from iso/pxe.py's templates, rendered for that URL, so the test
boots exactly what `./build.py pxe --url URL` would write.
"""
import functools
import http.server
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from iso import pxe

BOOTFILE = {"bios": "boot.ipxe", "uefi": "grubx64.efi"}   # qemu's iPXE ROM runs an iPXE script itself
LOADERS = ("undionly.kpxe", "ipxe.efi", "lpxelinux.0", "ldlinux.c32", "grubx64.efi")
SERVED = (pxe.DOM0, pxe.SUMS, pxe.SIGNATURE, *pxe.FILES.values())


@dataclass
class Staged:
    tftp: Path
    www: Path
    url: str


def stage(tree: Path, workdir: Path, url: str, hosts: dict[str, str] | None = None, default: str | None = None,
          tamper: bool = False, extra_args: str = "") -> Staged:
    """hosts: {MAC: answer file text}; default: the answer file of other hosts; tamper: serve a dom0
    image with one byte changed (the signed SHA256SUMS left as built)."""
    missing = [name for name in (*SERVED, *LOADERS, "tree.json") if not (tree / name).exists()]
    if missing:
        raise FileNotFoundError(f"{tree} lacks {', '.join(missing)}: build it with ./build.py pxe (or ./build.py iso)")
    www, tftp = workdir / "www", workdir / "tftp"
    for folder in (www, tftp):
        if folder.exists():
            shutil.rmtree(folder)
        (folder / "answers").mkdir(parents=True)
    for name in SERVED:
        os.link(tree / name, www / name)    # a rebuild of out/pxe mid-run must not change what is served
    if tamper:
        (www / pxe.DOM0).unlink()
        shutil.copy2(tree / pxe.DOM0, www / pxe.DOM0)
        with open(www / pxe.DOM0, "r+b") as f:
            f.seek(1 << 20)
            byte = f.read(1)
            f.seek(1 << 20)
            f.write(bytes([byte[0] ^ 0xFF]))
    for name in LOADERS:
        shutil.copy2(tree / name, tftp / name)
    macs = {pxe.normal_mac(mac): text for mac, text in (hosts or {}).items()}
    for mac, text in macs.items():
        (www / "answers" / f"{mac}.yaml").write_text(text)
    if default:
        (www / "answers" / "default.yaml").write_text(default)
    meta = json.loads((tree / "tree.json").read_text())
    config = pxe.Tree(url=url, kernel_args=f"{meta['kernel_args']} {extra_args}".strip(),
                      root_bytes=meta["root_bytes"], hosts={mac: f"{mac}.yaml" for mac in macs},
                      default_answers=bool(default))
    pxe.render_configs(config, tftp)
    return Staged(tftp=tftp, www=www, url=url)


class HttpServer:
    """A loopback HTTP server over a folder, in a thread. Records what it sent and when (figures):
    iPXE writes only to the screen, so under BIOS the loader's progress is read from here."""

    def __init__(self, folder: Path):
        counter = self.sent = {}
        events = self.events = []       # (monotonic time, path, "start" | "done")

        class Handler(http.server.SimpleHTTPRequestHandler):
            def copyfile(self, source, outputfile):
                events.append((time.monotonic(), self.path, "start"))
                before = source.tell() if hasattr(source, "tell") else 0
                super().copyfile(source, outputfile)
                counter[self.path] = counter.get(self.path, 0) + source.tell() - before
                events.append((time.monotonic(), self.path, "done"))

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def first(self, suffix: str, kind: str = "start") -> float | None:
        return next((t for t, path, k in self.events if path.endswith(suffix) and k == kind), None)

    @property
    def guest_url(self) -> str:
        return f"http://10.0.2.2:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()


def tftp_bytes(tftp: Path, bootfile: str, configs: list[str]) -> int:
    """What crosses TFTP: the boot file and the configs the loader reads from it."""
    return sum((tftp / name).stat().st_size for name in [bootfile, *configs] if (tftp / name).exists())
