"""The look and keys every xenhost console screen shares (the installer's screens, the first-boot
wizard): a centred dialog with a one-line explanation, a bounded list or form and a button row;
the palette (with a mono column for vt220 serial consoles) and the 0x0 serial-terminal fix.
Needs python3-urwid, which the packages that show screens require (xenhost-common does not)."""
