"""`python -m hailsham ...`: the command line, as the `hailsham` script runs it."""

from hailsham._cli import main

main()
