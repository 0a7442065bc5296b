"""hailsham-sensitivity's Sobol indices against SALib's, on the very same outputs.

Reads, on standard input, the JSON `cargo run -p hailsham-sensitivity --example salib_check`
prints: a Saltelli design's outputs in hailsham's order (the rows of A, then of B, then of
each AB_i) and the first-order and total indices hailsham read from them. Puts the outputs in
SALib's order (for each base row: A, each AB_i, B), reads them with SALib's own estimators
(`SALib.analyze.sobol.analyze`, no second order) and fails unless every index agrees to 1e-9.
`.ci/run` runs it in a virtual environment of its own, with SALib from PyPI.
"""

import json
import sys

import numpy as np
from SALib.analyze import sobol


def main() -> int:
    ours = json.load(sys.stdin)
    factors, base = ours["factors"], ours["base"]
    outputs = np.array(ours["outputs"], dtype=float)
    blocks = outputs.reshape(factors + 2, base)  # A, B, AB_0, ..., AB_{k-1}
    a, b, ab = blocks[0], blocks[1], blocks[2:]
    salib_order = np.column_stack([a, *ab, b]).reshape(-1)
    problem = {
        "num_vars": factors,
        "names": [f"x{i}" for i in range(factors)],
        "bounds": [[0.0, 1.0]] * factors,
    }
    theirs = sobol.analyze(
        problem, salib_order, calc_second_order=False, num_resamples=10, seed=1
    )
    failed = 0
    for what, key in (("first", "S1"), ("total", "ST")):
        for i, (mine, salib) in enumerate(zip(ours[what], theirs[key])):
            ok = abs(mine - salib) <= 1e-9
            failed += not ok
            print(f"x{i} {what:5}: hailsham {mine:.12f}  SALib {salib:.12f}  {'ok' if ok else 'DIFFERENT'}")
    print("indices agree with SALib's" if not failed else f"{failed} indices differ from SALib's")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
