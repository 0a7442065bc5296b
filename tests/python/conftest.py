"""The Python package's tests run against the installed wheel (`.ci/run` builds it and
installs it in a fresh virtual environment): what a user gets, not the source tree."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# No test writes to the user's run store.
os.environ["HAILSHAM_STORE"] = "off"


@pytest.fixture(scope="session")
def script() -> str:
    """The wheel's `hailsham` script, beside this Python."""
    found = Path(sys.executable).parent / "hailsham"
    if not found.exists():
        found = Path(shutil.which("hailsham") or "hailsham")
    return str(found)


def cli(script: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    """The command line, as the wheel's script runs it."""
    return subprocess.run(
        [script, *arguments], capture_output=True, text=True, check=check, timeout=600
    )
