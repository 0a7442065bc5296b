"""The Python package's goals, measured (BENCHMARKS.md quotes what this prints).

    python tests/python/bench.py            # with the wheel installed (a release build)

1. The England log (2.3 million rows) reaches a pandas DataFrame in under 0.5 s after the run.
2. A Ray sweep of 200 England runs on 2 CPUs within 20% of the local backend's time, and a
   Dask one beside it, each with the same table to the byte.
(`hailsham.run` against the command line is timed with farm-bench: BENCHMARKS.md.)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

import hailsham

os.environ["HAILSHAM_STORE"] = "off"


def log_to_pandas() -> None:
    run = hailsham.run(replicates=1, log=True, records=False, store=False, progress=False)
    pa.table(hailsham.params())  # pyarrow's own first use, not the log's
    times = []
    for _ in range(7):
        started = time.perf_counter()
        frame = run.log(0).to_pandas()
        times.append(time.perf_counter() - started)
    print(
        f"England log, {len(frame):,} rows, to pandas: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, 7 times)"
    )


#: 200 England runs, 1952-2000: 200 random points over the share who care first.
SWEEP = {
    "name": "bench200",
    "base": "novel",
    "seed": 1,
    "replicates": 1,
    "design": {"kind": "random", "points": 200},
    "parameters": {"care": {"carer_share": {"low": 0.4, "high": 0.9}}},
}


def backends() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hailsham-bench-"))
    timed = {}
    started = time.perf_counter()
    local = hailsham.sweep(SWEEP, out=folder / "local.parquet", store=False, progress=False, threads=2)
    timed["local"] = time.perf_counter() - started
    import ray

    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False)
    ray_start = time.perf_counter() - started
    started = time.perf_counter()
    on_ray = hailsham.sweep(SWEEP, backend="ray", out=folder / "ray.parquet", store=False, progress=False)
    timed["ray"] = time.perf_counter() - started
    ray.shutdown()
    from dask.distributed import Client, LocalCluster

    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        dask_start = time.perf_counter() - started
        started = time.perf_counter()
        on_dask = hailsham.sweep(
            SWEEP, backend="dask", client=client, out=folder / "dask.parquet", store=False, progress=False
        )
        timed["dask"] = time.perf_counter() - started
    same = local.path.read_bytes() == on_ray.path.read_bytes() == on_dask.path.read_bytes()
    print(f"200 England runs on 2 CPUs: local {timed['local']:.1f} s; "
          f"ray {timed['ray']:.1f} s ({timed['ray'] / timed['local']:.2f} of local; ray.init {ray_start:.1f} s more); "
          f"dask {timed['dask']:.1f} s ({timed['dask'] / timed['local']:.2f} of local; cluster start {dask_start:.1f} s more); "
          f"tables identical: {same}")


if __name__ == "__main__":
    what = sys.argv[1:] or ["log", "backends"]
    if "log" in what:
        log_to_pandas()
    if "backends" in what:
        backends()
