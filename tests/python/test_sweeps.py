"""Sweeps on every backend: the same table to the bit, resumed from the store, read by SALib."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import hailsham

#: A small Latin hypercube: 8 points × 2 replicates of a world a twentieth of England's.
SPREAD = {
    "name": "tiny",
    "base": "novel",
    "seed": 5,
    "replicates": 2,
    "end_year": 1975,
    "design": {"kind": "latin-hypercube", "points": 8},
    "parameters": {
        "homes": {"population_millions": [2.5]},
        "care": {"carer_share": {"low": 0.2, "high": 0.9}},
        "donation": {"interval_days_mean": {"low": 300.0, "high": 1500.0}},
    },
}


def table_bytes(result: hailsham.SweepResult) -> bytes:
    return result.path.read_bytes()


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "tiny.parquet"
    return hailsham.sweep(SPREAD, out=out, store=False, progress=False)


def test_a_local_sweep_writes_a_row_per_point_and_replicate(local):
    assert (local.points, local.replicates, local.runs, local.ran) == (8, 2, 16, 16)
    table = pa.table(local.table)
    assert table.num_rows == 16
    assert table.column("point").to_pylist() == [p for p in range(8) for _ in range(2)]
    shares = table.column("care.carer_share").to_pylist()
    assert all(0.2 <= s <= 0.9 for s in shares)
    assert len(local.means) == 8 and local.reading["kind"] == "spread"
    assert "tiny" in local.summary


def test_ray_gives_the_local_table_to_the_bit(local, tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True)
    try:
        result = hailsham.sweep(
            SPREAD, backend="ray", out=tmp_path / "ray.parquet", store=False, progress=False
        )
    finally:
        ray.shutdown()
    assert result.backend == "ray" and result.ran == 16
    assert table_bytes(result) == table_bytes(local)


def test_dask_gives_the_local_table_to_the_bit(local, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        with distributed.Client(cluster) as client:
            result = hailsham.sweep(
                SPREAD,
                backend="dask",
                client=client,
                out=tmp_path / "dask.parquet",
                store=False,
                progress=False,
                batch_seconds=0.01,
            )
    assert result.backend == "dask" and result.ran == 16
    assert table_bytes(result) == table_bytes(local)


def test_a_sweep_resumes_from_the_store(local, tmp_path):
    store = tmp_path / "runs.sqlite"
    first = hailsham.sweep(SPREAD, out=tmp_path / "first.parquet", store=store, progress=False)
    assert (first.resumed, first.ran) == (0, 16)
    again = hailsham.sweep(SPREAD, out=tmp_path / "again.parquet", store=store, progress=False)
    assert (again.resumed, again.ran) == (16, 0)
    assert table_bytes(again) == table_bytes(first) == table_bytes(local)


def test_a_sweep_stopped_half_way_resumes_on_another_backend(local, tmp_path):
    from hailsham import _hailsham
    from hailsham._sweep import _source, run_batch

    store = str(tmp_path / "runs.sqlite")
    text, path = _source(SPREAD)
    # Half the runs recorded, as a Ray or Dask sweep killed half-way leaves them.
    opened = _hailsham.open_sweep(text, path, None, False, store, "test", None)
    opened.record(run_batch(text, path, opened.missing()[:8]))
    del opened
    resumed = hailsham.sweep(SPREAD, out=tmp_path / "resumed.parquet", store=store, progress=False)
    assert (resumed.resumed, resumed.ran) == (8, 8)
    assert table_bytes(resumed) == table_bytes(local)


def test_sobol_indices_agree_with_salib_on_the_same_runs(tmp_path):
    sobol = pytest.importorskip("SALib.analyze.sobol")
    design = dict(SPREAD, design={"kind": "sobol", "points": 16}, replicates=1)
    result = hailsham.sweep(design, out=tmp_path / "sobol.parquet", store=False, progress=False,
                            figure="organs_supplied")
    factors = len(result.parameters)
    assert result.reading["kind"] == "sobol" and factors == 3
    # hailsham's points are the rows of A, then B, then each AB_i; SALib wants, for each base
    # row, A, each AB_i, then B.
    blocks = np.array(result.means).reshape(factors + 2, -1)
    a, b, ab = blocks[0], blocks[1], blocks[2:]
    outputs = np.column_stack([a, *ab, b]).reshape(-1)
    problem = {"num_vars": factors, "names": result.parameters, "bounds": [[0, 1]] * factors}
    theirs = sobol.analyze(problem, outputs, calc_second_order=False, num_resamples=10, seed=1)
    for index, first, total in zip(result.reading["indices"], theirs["S1"], theirs["ST"]):
        assert index["first"] == pytest.approx(first, abs=1e-9)
        assert index["total"] == pytest.approx(total, abs=1e-9)


def test_a_wrong_sweep_is_a_scenario_error():
    wrong = dict(SPREAD, design={"kind": "latin-hypercube", "pints": 8})
    with pytest.raises(hailsham.ScenarioError) as caught:
        hailsham.sweep(wrong, store=False, progress=False)
    assert caught.value.line is not None and "pints" in str(caught.value)
    with pytest.raises(ValueError, match="backend"):
        hailsham.sweep(SPREAD, backend="spark", store=False)
