"""Every call of the Python API, with its types, against the command line's own outputs."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hailsham
from conftest import cli

#: A small world over a short span: seconds, not minutes.
SMALL = {"homes.population_millions": 5.0}


def test_run_has_figures_series_and_identity():
    run = hailsham.run(replicates=2, until=1975, changes=SMALL, progress=False)
    assert isinstance(run, hailsham.Run)
    assert re.fullmatch(r"[0-9a-f]{64}", run.scenario_hash)
    assert (run.seed, run.replicates, run.version) == (1, 2, hailsham.VERSION)
    assert (run.start_year, run.end_year) == (1952, 1975)
    figures = pa.table(run.figures)
    assert figures.column_names == [
        "key", "label", "unit", "group", "years", "mean", "low", "high", "n", "replicates",
    ]
    assert figures.schema.field("replicates").type == pa.list_(pa.float64())
    created = run.figure("clones_created")
    assert isinstance(created, hailsham.Estimate)
    assert created.low <= created.mean <= created.high and created.n == 2
    values = figures.column("replicates").to_pylist()[0]
    assert math.isclose(sum(values) / 2, created.mean)
    # Every table says what ran.
    metadata = figures.schema.metadata
    assert metadata[b"scenario_hash"].decode() == run.scenario_hash
    assert metadata[b"seed"] == b"1" and metadata[b"version"].decode() == hailsham.VERSION
    series = pa.table(run.series)
    assert series.num_rows == 2 * (1975 - 1952)
    assert set(series.column("replicate").to_pylist()) == {0, 1}
    with pytest.raises(KeyError, match="did you mean `clones_created`"):
        run.figure("clones_creatd")
    assert "clones created" in repr(run)


def test_tables_equal_the_command_lines_parquet_files(tmp_path, script):
    arguments = ["--seed", "3", "--replicates", "2", "--until", "1970"]
    out = tmp_path / "cli"
    cli(script, "run", "no-carers", *arguments, "--out", str(out), "--log", "--no-store")
    run = hailsham.run(
        "no-carers", seed=3, replicates=2, until=1970, log=True, store=False, progress=False
    )
    for ours, file in [
        (run.series, "series.parquet"),
        (run.people(0), "people-000.parquet"),
        (run.people(1), "people-001.parquet"),
        (run.log(1), "log-001.parquet"),
    ]:
        theirs = pq.read_table(out / file)
        mine = pa.table(ours)
        # Text columns come as dictionaries (categoricals in pandas); the values are equal.
        assert mine.cast(theirs.schema).equals(theirs), file
        assert mine.schema.metadata[b"scenario_hash"] == theirs.schema.metadata[b"scenario_hash"]
    summary = json.loads((out / "summary.json").read_text())
    figures = pa.table(run.figures)
    means = dict(zip(figures.column("key").to_pylist(), figures.column("mean").to_pylist()))
    for figure in summary["figures"]:
        expected = figure["mean"]
        if expected is None:
            assert math.isnan(means[figure["key"]])
        else:
            assert means[figure["key"]] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_tables_reach_pandas_and_polars_with_their_types():
    run = hailsham.run(replicates=1, until=1965, changes=SMALL, log=True, progress=False)
    log = run.log(0)
    frame = log.to_pandas()
    assert len(frame) == log.num_rows == len(log) > 1000
    assert str(frame["kind"].dtype) == "category"
    assert "created" in set(frame["kind"])
    polars = pytest.importorskip("polars")
    assert polars.DataFrame(log).shape == (log.num_rows, len(log.column_names))
    assert log.to_polars().shape == polars.DataFrame(log).shape
    people = run.people(0).to_pandas()
    assert people["id"].is_unique
    with pytest.raises(IndexError):
        run.log(1)
    with pytest.raises(ValueError, match="records=True"):
        hailsham.run(replicates=1, until=1960, records=False, progress=False).people(0)


def test_a_misspelt_key_in_a_file_names_file_line_column_key_and_expected(tmp_path):
    path = tmp_path / "fewer.toml"
    path.write_text('name = "fewer"\n[care]\ncarer_shar = 0.3\n')
    with pytest.raises(hailsham.ScenarioError) as caught:
        hailsham.run(path, progress=False)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(path), 3, 1)
    assert error.key == "care.carer_shar"
    assert error.expected == "did you mean `carer_share`?"
    assert error.exit_code == 3
    assert "unknown key `carer_shar` in [care]" in str(error)
    assert f"--> {path}:3:1" in str(error)
    assert isinstance(error, hailsham.HailshamError)


def test_wrong_changes_are_refused_with_the_key():
    with pytest.raises(hailsham.ScenarioError) as caught:
        hailsham.run(changes={"care.carer_share": 2.0}, progress=False)
    assert caught.value.key == "care.carer_share"
    assert caught.value.expected == "0 to 1"
    assert caught.value.file == "changes" and caught.value.line is None
    with pytest.raises(hailsham.ScenarioError, match="did you mean `care.carer_share`"):
        hailsham.run(changes={"care.carer_shre": 0.3}, progress=False)
    with pytest.raises(TypeError, match="care.carer_share"):
        hailsham.run(changes={"care.carer_share": "lots"}, progress=False)
    with pytest.raises(hailsham.ScenarioError, match="no scenario `escpae`") as caught:
        hailsham.run("escpae", progress=False)
    assert "did you mean `escape`" in str(caught.value)


def test_a_scenario_as_text_with_a_bundled_base():
    text = 'name = "quick"\nbase = "no-carers.toml"\n[homes]\npopulation_millions = 5.0\n'
    run = hailsham.run(text, replicates=1, until=1962, progress=False)
    assert run.scenario == "quick"
    assert run.figure("carer_years_worked").mean == 0.0


def test_the_same_request_gives_the_same_bytes_on_any_threads():
    one = hailsham.run(replicates=3, until=1970, changes=SMALL, threads=1, progress=False)
    three = hailsham.run(replicates=3, until=1970, changes=SMALL, threads=3, progress=False)
    # pandas' equality holds NaN (an undefined figure) equal to NaN; Arrow's does not.
    assert one.figures.to_pandas().equals(three.figures.to_pandas())
    assert one.series.to_pandas().equals(three.series.to_pandas())
    assert one.text() == three.text()


def test_params_lists_every_parameter_with_unit_range_tag_and_source():
    table = pa.table(hailsham.params("no-carers"))
    rows = table.to_pylist()
    assert len(rows) > 80
    keys = [row["key"] for row in rows]
    assert "care.carer_share" in keys
    assert {row["tag"] for row in rows} <= {"canon", "novel", "inferred", "assumption"}
    carer = rows[keys.index("care.carer_share")]
    assert (carer["value"], carer["changed"], carer["min"], carer["max"]) == ("0.0", True, 0.0, 1.0)
    assert all(row["source"] and row["unit"] for row in rows)
    assert "novel" in hailsham.scenarios() and "no-carers" in hailsham.scenarios()


def test_life_is_told_with_its_events_and_people(tmp_path):
    run = hailsham.run(replicates=1, until=1990, changes=SMALL, log=True, progress=False)
    stored = run.life(40)
    again = hailsham.life(40, changes=SMALL, until=1990)
    # The life read from the stored log is the life told by running the replicate again.
    assert stored.text == again.text
    assert isinstance(stored, hailsham.Life)
    assert "(clone 40)" in stored.text.splitlines()[0]
    assert stored.events and all("kind" in event for event in stored.events)
    assert "|" in stored.explained
    for person in stored.people:
        assert person["name"] and "id" in person


def test_sift_counts_with_intervals_and_a_pattern_picks_a_life():
    sifted = hailsham.sift("tommy", replicates=2, until=1990, changes=SMALL, progress=False)
    assert isinstance(sifted, hailsham.Sifted)
    assert sifted.matches.n == 2 and sifted.matches.low <= sifted.matches.mean
    assert 0 < len(sifted.ranked) <= 10
    first = sifted.ranked[0]
    told = hailsham.life(first["id"], changes=SMALL, until=1990, replicate=first["replicate"])
    assert f"(clone {first['id']})" in told.text
    picked = hailsham.life(pattern="tommy", changes=SMALL, until=1990)
    assert picked.text
    with pytest.raises(hailsham.ScenarioError, match="no pattern `tomy`"):
        hailsham.sift("tomy", progress=False)


def test_compare_pairs_scenarios_and_answers_the_question(script):
    compared = hailsham.compare(["novel", "no-carers"], replicates=2, until=1980, progress=False)
    assert compared.scenarios == ["novel", "no-carers"]
    assert compared.answers[0] is None and compared.answers[1]
    frame = compared.to_pandas()
    row = frame[(frame.key == "carer_years_worked") & (frame.scenario == "no-carers")].iloc[0]
    assert row["mean"] == 0 and row["difference"] < 0 and row["excludes_zero"]
    shown = cli(script, "compare", "novel", "no-carers", "--replicates", "2", "--until", "1980")
    # The table the command line prints, the same numbers.
    assert repr(compared).split("\n\n")[1] in shown.stdout
    with_changes = hailsham.compare(
        ["novel", ("novel", {"care.carer_share": 0.3})], replicates=2, until=1970, progress=False
    )
    assert len(with_changes.scenarios) == 2


def test_questions_are_the_command_lines(script):
    answers = hailsham.questions(replicates=2, progress=False)
    assert len(answers) == 10
    assert all(isinstance(a, hailsham.Answer) and a.answer for a in answers)
    printed = json.loads(cli(script, "questions", "--replicates", "2", "--format", "json").stdout)
    assert [a.answer for a in answers] == [q["answer"] for q in printed["questions"]]
    assert [a.verdict for a in answers] == [q["verdict"] for q in printed["questions"]]


def test_a_log_of_many_row_groups_reads_as_pyarrow_reads_it():
    # England to 1985: a log of several row groups, decoded on several threads and their
    # words merged into one dictionary a column.
    run = hailsham.run(replicates=1, until=1985, log=True, records=False, progress=False)
    file = pq.ParquetFile(run.folder / "log-000.parquet")
    assert file.num_row_groups > 2
    theirs = file.read()
    mine = pa.table(run.log(0))
    assert mine.cast(theirs.schema).equals(theirs)
    kinds = mine.column("kind").chunks
    assert len(kinds) == file.num_row_groups
    assert all(chunk.dictionary.equals(kinds[0].dictionary) for chunk in kinds)


def test_a_folder_with_files_is_kept_unless_forced(tmp_path):
    out = tmp_path / "kept"
    out.mkdir()
    (out / "mine.txt").write_text("a reader's notes")
    with pytest.raises(hailsham.OutputError) as caught:
        hailsham.run(replicates=1, until=1960, changes=SMALL, out=out, progress=False)
    assert "not empty" in str(caught.value) and caught.value.exit_code == 4
    # Not hailsham's own files: even force leaves them alone.
    with pytest.raises(hailsham.OutputError):
        hailsham.run(replicates=1, until=1960, changes=SMALL, out=out, force=True, progress=False)
    assert (out / "mine.txt").read_text() == "a reader's notes"
    again = tmp_path / "again"
    hailsham.run(replicates=1, until=1960, changes=SMALL, out=again, progress=False)
    with pytest.raises(hailsham.OutputError, match="not empty"):
        hailsham.run(replicates=1, until=1960, changes=SMALL, out=again, progress=False)
    run = hailsham.run(replicates=1, until=1962, changes=SMALL, out=again, force=True, progress=False)
    assert run.folder == again and run.end_year == 1962
