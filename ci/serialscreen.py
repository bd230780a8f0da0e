"""What a person on a VM's serial console sees: a VT100 emulator (pyte) fed from the serial line.

A full-screen program (the urwid installer) redraws parts of the screen with cursor movements, so
its output is no stream of lines to grep. Tests feed every byte into an 80x24 emulator and wait
for text on the rendered screen, then press keys as a person would.
"""
import re
import time

import pexpect
import pyte

from ci.qemu import VMTimeout

KEYS = {"enter": "\r", "tab": "\t", "esc": "\x1b", "space": " ", "backspace": "\x7f",
        "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D", "f1": "\x1bOP"}


class SerialScreen:
    def __init__(self, vm, columns: int = 80, lines: int = 24):
        self.vm = vm
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self._phase_start = time.monotonic()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def highlighted(self) -> list[str]:
        """Lines shown in reverse video or on a background colour: where the focus is."""
        lines = []
        for row in range(self.screen.lines):
            chars = self.screen.buffer[row]
            text = "".join(chars[col].data for col in range(self.screen.columns) if chars[col].reverse or chars[col].bg != "default")
            if text.strip():
                lines.append(text.strip())
        return lines

    def _pump(self, timeout: float) -> None:
        try:
            data = self.vm.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            raise VMTimeout(f"qemu exited; serial log: {self.vm.log_path}\n--- screen ---\n{self.text()}") from None
        self.stream.feed(data)

    def wait_for(self, pattern: str, timeout: float, phase: str | None = None) -> re.Match:
        """Wait until the regex pattern is on the rendered screen; record the phase's duration."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.text())
            if found:
                if phase:
                    now = time.monotonic()
                    self.vm.phases[phase] = round(now - self._phase_start, 1)
                    self._phase_start = now
                return found
            if time.monotonic() > deadline:
                raise VMTimeout(f"screen never showed {pattern!r} within {timeout:.0f}s "
                                f"({phase or 'no phase'}); serial log: {self.vm.log_path}\n"
                                f"--- screen ---\n{self.text()}")
            self._pump(0.2)

    def settle(self, quiet: float = 0.5, limit: float = 10) -> None:
        """Read until the line has been quiet for `quiet` seconds (a redraw finished)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            before = self.text()
            self._pump(quiet)
            if self.text() == before:
                return

    def press(self, *keys: str, gap: float = 0.3) -> None:
        """Press named keys (KEYS) in order; slow enough for a busy guest's serial port."""
        for key in keys:
            self.vm.child.send(KEYS[key])
            self._pump(gap)

    def jump_to(self, letter: str, wanted: str, tries: int = 12, timeout: float = 20) -> None:
        """In a list where a letter jumps to the next item starting with it: press it until `wanted`
        has the focus. Each press waits for the focus to move first: a busy guest answers keys late,
        and a press read before the previous redraw would overshoot."""
        for _ in range(tries):
            before = self.highlighted()
            self.press_text(letter)
            deadline = time.monotonic() + timeout
            while self.highlighted() == before and time.monotonic() < deadline:
                self._pump(0.2)
            # the old focus line can be redrawn before the new one: judge the finished redraw, or
            # the next press moves on from `wanted` (a slow guest chose Bratislava for Berlin)
            self.settle(quiet=1.0, limit=timeout)
            if any(wanted in line for line in self.highlighted()):
                return
        raise VMTimeout(f"{wanted!r} never got the focus by pressing {letter!r}; screen:\n{self.text()}")

    def press_text(self, text: str) -> None:
        self.vm.child.send(text)
        self._pump(0.3)

    def type(self, text: str, delay: float = 0.05) -> None:
        for char in text:
            self.vm.child.send(char)
            self._pump(delay)
