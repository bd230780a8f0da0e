"""One qemu harness for every VM test: start a VM, drive its serial console, time its phases.

qemu runs under software emulation (TCG): `-enable-kvm` hangs on our build hosts and
`-cpu max` crashes dom0, so the default `qemu64` CPU is used. Everything the VM prints is
kept in a serial log beside the test's other files.
"""
import re
import shlex
import shutil
import socket
import struct
import subprocess
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = Path("/usr/share/OVMF/OVMF_VARS_4M.fd")


class VMTimeout(AssertionError):
    """A phase did not reach its marker in time; the message names the phase and the log."""


@dataclass
class VMSpec:
    name: str
    workdir: Path
    memory_mb: int = 3072
    cpus: int = 2
    disks: list[Path] = field(default_factory=list)
    cdrom: Path | None = None
    boot_order: str = "cd"            # disk first, then CD: a blank disk falls through to the CD
    uefi: bool = False
    network: bool = True
    kernel: Path | None = None
    initrd: Path | None = None
    append: str = ""
    no_reboot: bool = False           # a guest reboot ends qemu (to switch boot media)
    mac: str | None = None            # the NIC's MAC (qemu's default otherwise): a "replaced" NIC
    hostfwd: tuple = ()               # user-net forwards, e.g. "tcp:127.0.0.1:10022-:22"
    monitor: Path | None = None       # a unix socket for qemu's monitor (screendump), else none
    tftp: Path | None = None          # PXE: qemu's built-in TFTP server serves this folder ...
    bootfile: str = ""                # ... and DHCP names this file in it as the boot file


def create_disk(path: Path, size: str = "24G") -> Path:
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(path), size], check=True)
    return path


def qemu_command(spec: VMSpec) -> list[str]:
    cmd = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64", "-m", str(spec.memory_mb),
           "-smp", str(spec.cpus), "-display", "none", "-serial", "stdio",
           "-monitor", f"unix:{spec.monitor},server=on,wait=off" if spec.monitor else "none",
           "-boot", f"order={spec.boot_order}"]
    if spec.uefi:
        vars_copy = spec.workdir / f"{spec.name}-OVMF_VARS.fd"
        if not vars_copy.exists():
            shutil.copy2(OVMF_VARS, vars_copy)
        cmd += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
    for disk in spec.disks:
        cmd += ["-drive", f"file={disk},if=virtio,format=qcow2,cache=unsafe"]
    if spec.cdrom:
        cmd += ["-drive", f"file={spec.cdrom},media=cdrom,readonly=on"]
    if spec.network:
        forwards = "".join(f",hostfwd={rule}" for rule in spec.hostfwd)
        tftp = f",tftp={spec.tftp},bootfile={spec.bootfile}" if spec.tftp else ""
        cmd += ["-netdev", f"user,id=n0{tftp}{forwards}",
                "-device", "virtio-net-pci,netdev=n0" + (f",mac={spec.mac}" if spec.mac else "")]
    else:
        cmd += ["-net", "none"]
    if spec.no_reboot:
        cmd.append("-no-reboot")
    if spec.kernel:
        cmd += ["-kernel", str(spec.kernel), "-append", spec.append]
        if spec.initrd:
            cmd += ["-initrd", str(spec.initrd)]
    return cmd


class VM:
    """A running VM whose serial console is a pexpect child; use as a context manager."""

    def __init__(self, spec: VMSpec):
        self.spec = spec
        self.log_path = spec.workdir / f"{spec.name}-serial.log"
        self.phases: dict[str, float] = {}
        self.child: pexpect.spawn | None = None
        self._phase_start = 0.0

    def __enter__(self) -> "VM":
        self.spec.workdir.mkdir(parents=True, exist_ok=True)
        cmd = qemu_command(self.spec)
        (self.spec.workdir / f"{self.spec.name}-qemu.cmd").write_text(shlex.join(cmd) + "\n")
        self._log = open(self.log_path, "ab")
        self.child = pexpect.spawn(cmd[0], cmd[1:], timeout=60, maxread=65536,
                                   searchwindowsize=16384)
        self.child.logfile_read = self._log
        self._phase_start = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        if self.child is not None and self.child.isalive():
            self.child.terminate(force=True)
        self._log.close()

    def expect_phase(self, phase: str, pattern, timeout: float) -> int:
        """Wait for pattern (str, regex or list); record the phase's duration since the last one."""
        try:
            index = self.child.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            raise VMTimeout(f"phase '{phase}': {pattern!r} not seen within {timeout:.0f}s; "
                            f"serial log: {self.log_path}\n--- last output ---\n{self.tail()}") from None
        except pexpect.EOF:
            raise VMTimeout(f"phase '{phase}': qemu exited before {pattern!r}; serial log: "
                            f"{self.log_path}\n--- last output ---\n{self.tail()}") from None
        now = time.monotonic()
        self.phases[phase] = round(now - self._phase_start, 1)
        self._phase_start = now
        return index

    def send_line(self, text: str, delay: float = 0.05) -> None:
        # Serial consoles drop characters sent in one burst to a busy guest: type slowly.
        for char in text:
            self.child.send(char)
            time.sleep(delay)
        self.child.send("\r")

    def login(self, password: str, prompt: str, user: str = "root") -> None:
        """Log in on the serial console (the login: prompt already seen): phases login, shell."""
        self.send_line(user)
        self.expect_phase("login", "Password:", 60)
        self.send_line(password)
        self.expect_phase("shell", prompt, 120)

    def check(self, phase: str, command: str, expected, prompt: str, timeout: float = 60) -> None:
        """Run a shell command and wait for expected in its output, then the prompt again."""
        self.send_line(command)
        self.expect_phase(phase, expected, timeout)
        self.expect_phase(phase + " prompt", prompt, 60)

    def tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = self.log_path.read_bytes().decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A free loopback TCP port for a hostfwd rule."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ssh_banner(port, timeout=120):
    """The SSH server's first line through qemu's forward, once the guest answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                line = s.recv(64)
                if line.startswith(b"SSH-"):
                    return line.decode(errors="replace").strip()
        except OSError:
            pass
        time.sleep(3)
    return None


def screendump(monitor: Path, dest_png: Path, timeout: float = 30) -> Path:
    """The VM's VGA screen as a PNG: qemu's `screendump` (binary PPM) over the monitor socket,
    converted here (zlib + struct: no imaging library needed on the build host)."""
    ppm = dest_png.with_suffix(".ppm")
    ppm.unlink(missing_ok=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(monitor))
        sock.recv(4096)                                     # the monitor's banner
        sock.sendall(f"screendump {ppm}\n".encode())
        deadline = time.monotonic() + timeout
        while not (ppm.exists() and ppm.stat().st_size > 0) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)                                     # let qemu finish writing it
    dest_png.write_bytes(ppm_to_png(ppm.read_bytes()))
    return dest_png


def ppm_to_png(data: bytes) -> bytes:
    """A binary P6 PPM (8 bits per channel) as PNG bytes."""
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    if not header:
        raise ValueError("not a binary PPM with 8 bits per channel")
    width, height, rest = int(header.group(1)), int(header.group(2)), data[header.end():]
    row = width * 3
    raw = b"".join(b"\0" + rest[y * row:(y + 1) * row] for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
