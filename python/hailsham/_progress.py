"""Progress of a long call, drawn on standard error: in a terminal a bar redrawn in place, in
a notebook (whose output keeps only the last line a carriage return leaves) the same; nothing
when standard error is a file or a pipe.

Drawn only once a call has taken more than a second, as the command line does, so quick calls
print nothing.
"""

from __future__ import annotations

import sys
import time


class Bar:
    """A callable the native module calls ten times a second with the counts so far."""

    def __init__(self, enabled: bool = True, label: str = "", unit: str = "replicate-years") -> None:
        self.enabled = enabled
        self.label = label
        self.unit = unit
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, planned: int, label: str, notes: list, finished: bool) -> None:
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if finished:
            if self.drawn:
                sys.stderr.write("\r" + " " * 79 + "\r")
                sys.stderr.flush()
            return
        if elapsed < 1.0 or planned == 0:
            return
        share = min(done / planned, 1.0)
        left = elapsed / share - elapsed if share > 0 else float("nan")
        width = 30
        filled = int(share * width)
        bar = "=" * filled + (">" if filled < width else "") + " " * max(width - filled - 1, 0)
        name = label or self.label
        eta = f"{left:.0f} s left" if left == left else ""
        line = f"{name} [{bar}] {done}/{planned} {self.unit}, {eta}"
        sys.stderr.write("\r" + line[:79].ljust(79))
        sys.stderr.flush()
        self.drawn = True


def _watched() -> bool:
    """Whether someone watches standard error: a terminal, or a notebook's output (ipykernel
    has taken it over). A log file or a pipe gets no bar, as from the command line."""
    import sys

    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def bar(progress: bool, label: str = "", unit: str = "replicate-years") -> Bar:
    """The bar a call draws: none, but its notes, when `progress` is off or nobody watches."""
    return Bar(progress and _watched(), label, unit)
