"""Sweeps: on this machine, or in batches on Ray tasks or Dask futures.

A sweep is opened by the native module (sized, found in the run store or begun there, with the
runs it still needs). The local backend runs every missing run on this machine's pool. The Ray
and Dask backends cut the missing runs into batches, each at least ``batch_seconds`` of work
(Ray's guidance is against tasks of a few milliseconds: the overhead of a task is about a
millisecond), send each to a worker, which makes the sweep's plan once from its text and runs
the batch on one thread, and record each batch's runs as it comes back. A sweep stopped
half-way resumes from what the store holds.

Every run draws only from the streams of (master seed, replicate) and its point's parameters,
and the table is read back from the store in point and replicate order: the same table on
every backend and with any number of workers, to the bit.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from hailsham import _hailsham
from hailsham._progress import bar

#: Backends a sweep may run on.
BACKENDS = ("local", "ray", "dask")


@dataclass
class SweepResult:
    """What a sweep did, and its table."""

    #: The sweep's name and its identity in the run store.
    name: str
    hash: str
    #: The design (grid, random, latin-hypercube, sobol, morris), its points and replicates.
    design: str
    points: int
    replicates: int
    #: The parameters swept, as ``section.key``.
    parameters: list
    #: Runs in all, found in the store from an earlier start, and run now.
    runs: int
    resumed: int
    ran: int
    #: The backend that ran them.
    backend: str
    #: The table written: a row per point and replicate, the swept parameters and every
    #: figure as columns.
    path: Path
    #: The summary, as ``hailsham sweep`` prints it.
    summary: str
    #: The figure read, and its mean over each point's replicates, point after point.
    figure: str
    means: list
    #: The design's reading of that figure: Sobol indices (``indices``) or Morris effects
    #: (``effects``) with each parameter's key; ``kind`` says which.
    reading: dict

    @property
    def table(self) -> Any:
        """The sweep's table (Parquet), as an Arrow table."""
        return _hailsham.read_parquet("sweep", str(self.path))

    def __repr__(self) -> str:
        return self.summary


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"a sweep cannot hold {type(value).__name__} values: {value!r}")


def to_toml(sweep: Mapping[str, Any]) -> str:
    """A sweep given as a dict, as the sweep file it stands for (docs/sweeps.md). Tables
    nest: ``{"parameters": {"care": {"carer_share": {"low": 0.2, "high": 0.9}}}}``."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping]] = []
    for key, value in sweep.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")

    def table(name: str, body: Mapping) -> None:
        scalars = [(k, v) for k, v in body.items() if not _is_table(v)]
        nested = [(k, v) for k, v in body.items() if _is_table(v)]
        if scalars or not nested:
            lines.append("")
            lines.append(f"[{name}]")
            for key, value in scalars:
                lines.append(f"{key} = {_toml_value(value)}")
        for key, value in nested:
            table(f"{name}.{key}", value)

    for name, body in tables:
        table(name, body)
    return "\n".join(lines) + "\n"


def _is_table(value: Any) -> bool:
    """A dict that is a table of its own, not a parameter's range (``{low, high}``)."""
    if not isinstance(value, Mapping):
        return False
    return not ({"low", "high"} & set(value)) and all(isinstance(v, Mapping) for v in value.values())


def _source(sweep: str | os.PathLike[str] | Mapping[str, Any]) -> tuple[str, str]:
    """The sweep's text and the path that names it and places its base."""
    if isinstance(sweep, Mapping):
        return to_toml(sweep), str(Path.cwd() / "sweep.toml")
    path = Path(os.fspath(sweep))
    if not path.is_file():
        raise FileNotFoundError(f"no sweep file {path}")
    return path.read_text(), str(path)


def batches(jobs: Sequence[int], seconds_per_run: float, workers: int, batch_seconds: float) -> list:
    """The jobs cut into batches of at least ``batch_seconds`` of work each, unless there is
    less work than that for every worker, when they are shared evenly."""
    if not jobs:
        return []
    per_batch = max(1, math.ceil(batch_seconds / max(seconds_per_run, 1e-6)))
    if math.ceil(len(jobs) / per_batch) < workers:
        per_batch = max(1, math.ceil(len(jobs) / workers))
    return [list(jobs[i : i + per_batch]) for i in range(0, len(jobs), per_batch)]


#: The plans a worker has made, by the sweep's text and path: made once, used for every batch.
_PLANS: dict = {}


def run_batch(text: str, path: str, jobs: list) -> list:
    """A worker's batch: the runs of ``jobs``, in order, on one thread."""
    key = (text, path)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _hailsham.plan_sweep(text, path)
    return _hailsham.sweep_batch(plan, jobs, 1)


def _ray(native: Any, text: str, path: str, jobs: list, batch_seconds: float, progress) -> None:
    import ray

    if not ray.is_initialized():
        ray.init()
    workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    remote = ray.remote(num_cpus=1)(run_batch)
    pending = [
        remote.remote(text, path, batch)
        for batch in batches(jobs, native.seconds_per_run, workers, batch_seconds)
    ]
    done_runs = 0
    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                runs = ray.get(ref)
                native.record(runs)
                done_runs += len(runs)
                progress(done_runs, len(jobs), "runs", [], False)
    except BaseException:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    progress(done_runs, len(jobs), "runs", [], True)


def _dask(native: Any, text: str, path: str, jobs: list, batch_seconds: float, client, progress) -> None:
    from dask.distributed import Client, as_completed

    owned = None
    if client is None:
        try:
            from dask.distributed import get_client

            client = get_client()
        except ValueError:
            owned = client = Client(processes=True, threads_per_worker=1)
    try:
        workers = max(1, sum(client.nthreads().values()))
        parts = batches(jobs, native.seconds_per_run, workers, batch_seconds)
        futures = [client.submit(run_batch, text, path, batch, pure=False) for batch in parts]
        done_runs = 0
        try:
            for future in as_completed(futures):
                runs = future.result()
                native.record(runs)
                done_runs += len(runs)
                progress(done_runs, len(jobs), "runs", [], False)
        except BaseException:
            client.cancel(futures)
            raise
        progress(done_runs, len(jobs), "runs", [], True)
    finally:
        if owned is not None:
            owned.close()


def sweep(
    sweep: str | os.PathLike[str] | Mapping[str, Any],
    backend: str = "local",
    out: str | os.PathLike[str] | None = None,
    figure: str | None = None,
    batch_seconds: float = 1.0,
    client: Any = None,
    progress: bool = True,
    threads: int | None = None,
    store: str | os.PathLike[str] | bool | None = None,
    large: bool = False,
) -> SweepResult:
    """Runs a sweep: a sweep file (docs/sweeps.md), or a dict of the same keys.

    Args:
        sweep: a sweep file's path, or a dict such as ``{"base": "novel", "replicates": 2,
            "design": {"kind": "latin-hypercube", "points": 20}, "parameters": {"care":
            {"carer_share": {"low": 0.2, "high": 0.9}}}}``.
        backend: ``"local"`` (this machine's cores), ``"ray"`` (Ray tasks: ``ray.init`` first
            for a cluster, else a local one is started) or ``"dask"`` (Dask futures on
            ``client``, or the current client, or a local cluster).
        out: the table to write (Parquet, or CSV for a ``.csv`` name); a temporary file
            without it.
        figure: the figure the summary and the design's reading are of (default: the base
            scenario's answer's, else ``waiting_deaths``).
        batch_seconds: the least work in one Ray task or Dask future.
        client: a ``dask.distributed.Client`` for the Dask backend.
        threads: the local backend's threads (default: one per core).
        store: the run store that keeps each run as it ends, so that a stopped sweep resumes:
            None where the command line finds it, False for none, or a path.
        large: lift the command line's limits on a sweep's size.
    """
    from hailsham import _command, _store, _threads

    if backend not in BACKENDS:
        raise ValueError(f"backend {backend!r} is none of {', '.join(BACKENDS)}")
    text, path = _source(sweep)
    native = _hailsham.open_sweep(
        text,
        path,
        _threads(threads),
        large,
        _store(store),
        _command("sweep", sweep=Path(path).name, backend=backend),
        figure,
    )
    jobs = native.missing()
    if backend == "local":
        native.run_here(bar(progress, f"sweep {native.name}"))
    elif backend == "ray":
        _ray(native, text, path, jobs, batch_seconds, bar(progress, f"sweep {native.name}", "runs"))
    else:
        drawn = bar(progress, f"sweep {native.name}", "runs")
        _dask(native, text, path, jobs, batch_seconds, client, drawn)
    if out is None:
        folder = Path(tempfile.mkdtemp(prefix="hailsham-sweep-"))
        target = folder / f"{native.name}.parquet"
    else:
        target = Path(out)
    runs, resumed, ran, summary, means, reading = native.finish(str(target))
    import json

    decoded = json.loads(reading)
    return SweepResult(
        name=native.name,
        hash=native.hash,
        design=native.design,
        points=native.points,
        replicates=native.replicates,
        parameters=native.parameters,
        runs=runs,
        resumed=resumed,
        ran=ran,
        backend=backend,
        path=target,
        summary=summary,
        figure=decoded["figure"],
        means=means,
        reading=decoded,
    )
