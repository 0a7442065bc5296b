"""The `hailsham` script of the wheel: the whole command line, with no compiler needed.

maturin cannot put a binary and a module in one wheel, so the command line is compiled into
the module and this script hands it the arguments (as sqruff and others do).
"""

import sys

from hailsham import _hailsham


def main() -> None:
    """Runs the command line with this process's arguments and exits with its code."""
    # The program's name as the binary would have it, for the usage lines of `--help`.
    sys.exit(_hailsham.main(["hailsham", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
