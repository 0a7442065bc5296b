"""hailsham: the world of Kazuo Ishiguro's *Never Let Me Go*, run.

Run the world as the novel has it, change one of its rules, and see what follows: figures
with their intervals over replicates, the yearly series, every clone's record and the event
log as Arrow tables, the reviewers' questions answered, lives told as stories, the lives that
fit a pattern, and sweeps over the assumptions, on this machine or on Ray or Dask.

>>> import hailsham
>>> run = hailsham.run(replicates=2, until=1970)
>>> run.figures.num_rows > 40
True

Every table speaks the Arrow PyCapsule interface (``__arrow_c_stream__``): ``pyarrow.table(t)``,
``polars.DataFrame(t)`` and ``t.to_pandas()`` take it without a copy. Mistakes in a scenario
raise :class:`ScenarioError` with the file, line, column, key and what was expected, in the
command line's words. Ctrl-C stops a run within a simulated year and raises
``KeyboardInterrupt``.

This package is a front end over the same library as the command line and the page: a
scenario, a seed and a version give the same figures here as there, to the bit.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, Union

from hailsham import _hailsham
from hailsham._hailsham import (
    BudgetError,
    HailshamError,
    ModelError,
    OutputError,
    ScenarioError,
    Table,
)
from hailsham._progress import bar
from hailsham._sweep import SweepResult, sweep

__all__ = [
    "VERSION",
    "BudgetError",
    "Comparison",
    "Estimate",
    "HailshamError",
    "Life",
    "ModelError",
    "OutputError",
    "Answer",
    "Run",
    "ScenarioError",
    "Sifted",
    "SweepResult",
    "Table",
    "compare",
    "life",
    "params",
    "questions",
    "run",
    "scenarios",
    "sift",
    "sweep",
]

#: The version of hailsham, as every output records it.
VERSION: str = _hailsham.VERSION
__version__ = VERSION

#: A scenario: a bundled name (``"novel"``, ``"no-carers"``...), the path of a TOML file, or
#: a scenario's TOML text (whose ``base`` may name a bundled scenario).
ScenarioLike = Union[str, "os.PathLike[str]"]

#: Changes to a scenario's parameters, by ``section.key``: ``{"care.carer_share": 0.3}``.
Changes = Mapping[str, Union[float, int, bool]]


def _given(scenario: ScenarioLike, changes: Changes | None) -> tuple[str, str, list]:
    """A scenario as the native module takes it: found by name or path, or read as text."""
    pairs = list((changes or {}).items())
    if isinstance(scenario, os.PathLike):
        return ("find", os.fspath(scenario), pairs)
    if not isinstance(scenario, str):
        raise TypeError(
            f"a scenario is a name, a path or TOML text, not {type(scenario).__name__}"
        )
    # TOML text has a newline or an `=`; a name or a path has neither.
    if "\n" in scenario or "=" in scenario:
        return ("text", scenario, pairs)
    return ("find", scenario, pairs)


def _store(store: str | os.PathLike[str] | bool | None) -> str | None:
    """The store as the native module takes it: None where the command line would find it
    (``HAILSHAM_STORE``, then the user's data folder), "" for none, else a path."""
    if store is None or store is True:
        return None
    if store is False:
        return ""
    return os.fspath(store)


def _command(name: str, **arguments: Any) -> str:
    """What asked for a run, as the run store records it."""
    shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
    return f"hailsham.{name}({shown})"


def _threads(threads: int | None) -> int | None:
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    return threads


@dataclass(frozen=True)
class Estimate:
    """A mean over replicates with its 95% interval (NaN where it is undefined)."""

    mean: float
    low: float
    high: float
    n: int

    def __post_init__(self) -> None:
        # JSON has no NaN: an undefined value arrives as null.
        for name in ("mean", "low", "high"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, float("nan"))

    def __str__(self) -> str:
        if self.low != self.low:
            return f"{self.mean:g} (no interval from {self.n} value{'s' if self.n != 1 else ''})"
        return f"{self.mean:g} (95% interval {self.low:g} to {self.high:g})"


class Run:
    """One scenario's replicates, run: its figures, its yearly series and, as asked, every
    clone's record and the event log, as Arrow tables; and the lives it holds.

    The tables are read from the files the run wrote, the same files ``hailsham run --out``
    writes; a run made without ``out`` keeps them in a temporary folder removed when the run
    is garbage-collected.
    """

    def __init__(
        self, native: Any, given: tuple, records: bool, log: bool, temporary: bool
    ) -> None:
        self._native = native
        self._given = given
        self._records = records
        self._log = log
        self._figures: Table | None = None
        #: The scenario's name.
        self.scenario: str = native.scenario
        #: The hash of the scenario's resolved parameters: what the run store keys it by.
        self.scenario_hash: str = native.scenario_hash
        #: The master seed: replicate ``r`` draws from the streams of (seed, r).
        self.seed: int = native.seed
        #: Replicates run.
        self.replicates: int = native.replicates
        #: The first calendar year.
        self.start_year: int = native.start_year
        #: The year the run ends at (the run stops at its start).
        self.end_year: int = native.end_year
        #: The version of hailsham that ran it.
        self.version: str = native.version
        #: Wall seconds the replicates took, and the threads they ran on.
        self.seconds: float = native.seconds
        self.threads: int = native.threads
        #: The folder of the run's files (series, summary, metadata, people, log).
        self.folder: Path = Path(native.folder)
        if temporary:
            self._cleanup = weakref.finalize(
                self, shutil.rmtree, str(self.folder.parent), ignore_errors=True
            )

    @property
    def figures(self) -> Table:
        """Every figure: key, label, unit, group, the years it covers, its mean over the
        replicates with the 95% interval (``low``, ``high``), ``n`` and each replicate's
        value (``replicates``)."""
        if self._figures is None:
            self._figures = self._native.figures()
        return self._figures

    def figure(self, key: str) -> Estimate:
        """One figure's estimate, by its key (``"clones_created"``)."""
        table = self.figures
        keys = _column(table, "key")
        if key not in keys:
            close = _closest(key, keys)
            hint = f" (did you mean `{close}`?)" if close else ""
            raise KeyError(f"no figure `{key}`{hint}")
        at = keys.index(key)
        return Estimate(
            *(_column(table, name)[at] for name in ("mean", "low", "high", "n"))
        )

    @property
    def series(self) -> Table:
        """One row per replicate and simulated year: the yearly counts (``series.parquet``)."""
        return _hailsham.read_parquet("series", str(self.folder / "series.parquet"))

    def people(self, replicate: int = 0) -> Table:
        """Every clone of replicate ``replicate``, one row each (``people-NNN.parquet``);
        the run needs ``records=True``."""
        if not self._records:
            raise ValueError("this run kept no person records: run it with records=True")
        return self._table("people", replicate)

    def log(self, replicate: int = 0) -> Table:
        """Every announcement of replicate ``replicate``, in order (``log-NNN.parquet``); the
        run needs ``log=True``."""
        if not self._log:
            raise ValueError("this run kept no event log: run it with log=True")
        return self._table("log", replicate)

    def _table(self, stem: str, replicate: int) -> Table:
        if not 0 <= replicate < self.replicates:
            raise IndexError(
                f"replicate {replicate} is not one of this run's 0 to {self.replicates - 1}"
            )
        path = self.folder / f"{stem}-{replicate:03}.parquet"
        return _hailsham.read_parquet(f"{stem} {replicate}", str(path))

    def life(self, id: int, replicate: int = 0, width: int = 78) -> Life:
        """Clone ``id``'s life in replicate ``replicate``, told: from the stored log where the
        run kept one, else by running the replicate again."""
        if self._log:
            return Life(
                *_hailsham.stored_life(self._given, str(self.folder), replicate, id, width)
            )
        return Life(
            *_hailsham.life(self._given, self.seed, replicate, id, self.end_year, width)
        )

    def sift(self, pattern: str, limit: int = 10) -> Sifted:
        """The lives that fit ``pattern`` in this run's event logs (``log=True``)."""
        if not self._log:
            raise ValueError("sifting a run needs its event log: run it with log=True")
        return Sifted(json.loads(_hailsham.sift_logs(pattern, str(self.folder), limit)))

    def text(self) -> str:
        """The figures as the command line prints them."""
        return self._native.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self.text())}</pre>"


def run(
    scenario: ScenarioLike = "novel",
    seed: int = 1,
    replicates: int = 5,
    until: int | None = None,
    changes: Changes | None = None,
    records: bool = True,
    log: bool = False,
    progress: bool = True,
    threads: int | None = None,
    store: str | os.PathLike[str] | bool | None = None,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    large: bool = False,
) -> Run:
    """Runs a scenario's replicates and returns its figures and tables.

    Args:
        scenario: a bundled name (``"novel"``, ``"no-carers"``...), a TOML file's path, or a
            scenario's TOML text.
        seed: the master seed. The same scenario, seed and version give the same bytes.
        replicates: independent runs, for the intervals.
        until: a year to stop at the start of, instead of the scenario's own end.
        changes: parameters to set, by ``section.key`` (``{"care.carer_share": 0.3}``),
            checked as a scenario file's keys are.
        records: keep every clone's record (``Run.people``).
        log: keep the event log (``Run.log``, ``Run.sift``, and lives read from it).
        progress: draw a bar on standard error once the run takes more than a second.
        threads: worker threads (default: one per core). Results never depend on it.
        store: the run store to record the run in: None where the command line finds it,
            False for none, or a path.
        out: a folder to write the run's files into (as ``hailsham run --out``), kept;
            without it they go to a temporary folder.
        force: replace ``out`` if it holds files (as ``--force``); without it such a folder
            is refused, and nothing is written.
        large: lift the command line's limits on a run's size.

    Raises:
        ScenarioError: a scenario or change that cannot be used, with its place.
        BudgetError: a run too large for its limits (``large=True`` lifts them).
        KeyboardInterrupt: Ctrl-C, within a simulated year.
    """
    given = _given(scenario, changes)
    if out is None:
        parent = Path(tempfile.mkdtemp(prefix="hailsham-"))
        folder = parent / "run"
    else:
        folder = Path(out)
    try:
        native = _hailsham.run(
            given,
            seed,
            replicates,
            until,
            records,
            log,
            _threads(threads),
            large,
            _store(store),
            str(folder),
            force,
            _command("run", scenario=given[1][:60], seed=seed, replicates=replicates),
            bar(progress),
        )
    except BaseException:
        if out is None:
            shutil.rmtree(parent, ignore_errors=True)
        raise
    return Run(native, given, records, log, temporary=out is None)


def params(scenario: ScenarioLike = "novel", changes: Changes | None = None) -> Table:
    """Every parameter of a scenario: section, key, value, unit, kind, min, max, tag (canon,
    novel, inferred or assumption), whether the scenario changed it, source and meaning."""
    return _hailsham.params(_given(scenario, changes))


def scenarios() -> list[str]:
    """The names of the scenarios bundled into hailsham."""
    return list(_hailsham.scenario_names())


@dataclass(frozen=True)
class Answer:
    """A reviewer's question, answered by its scenario against ``novel``."""

    scenario: str
    question: str
    source: str
    start_year: int
    end_year: int
    #: yes, no, no difference that matters, or cannot tell.
    verdict: str | None
    finding: str | None
    #: The answer's first sentence, as ``hailsham questions`` prints it.
    answer: str | None
    sentences: list[str] = field(default_factory=list)
    #: How far the answer holds over the plausible worlds, where that was computed
    #: (``robust=True``, or stored by an earlier one).
    robustness: dict | None = None

    def __str__(self) -> str:
        return f"{self.scenario}: {self.question}\n  {self.answer}"


def questions(
    seed: int = 1,
    replicates: int = 5,
    until: int | None = None,
    robust: bool = False,
    progress: bool = True,
    threads: int | None = None,
    store: str | os.PathLike[str] | bool | None = None,
    large: bool = False,
) -> list[Answer]:
    """The reviewers' questions, each answered by its scenario against ``novel`` with the same
    seed and replicates; with ``robust``, how far each answer holds over the plausible worlds
    (minutes: ten thousand runs)."""
    document = json.loads(
        _hailsham.questions(
            seed,
            replicates,
            until,
            _threads(threads),
            robust,
            large,
            _store(store),
            _command("questions", seed=seed, replicates=replicates, robust=robust),
            bar(progress),
        )
    )
    return [
        Answer(
            scenario=item["scenario"],
            question=item["question"],
            source=item["source"],
            start_year=item["start_year"],
            end_year=item["end_year"],
            verdict=item["verdict"],
            finding=item["finding"],
            answer=item["answer"],
            sentences=item["sentences"] or [],
            robustness=item["robustness"],
        )
        for item in document["questions"]
    ]


class Comparison:
    """Scenarios side by side, each paired with the first (common random numbers)."""

    def __init__(self, folder: str, text: str, answers: list[str | None], temporary: bool):
        self.folder = Path(folder)
        self._text = text
        document = json.loads((self.folder / "comparison.json").read_text())
        #: The scenarios' names, the first being the one the others are compared with.
        self.scenarios: list[str] = [
            item["name"] if isinstance(item, dict) else item for item in document["scenarios"]
        ]
        #: The comparison as ``comparison.json`` holds it: each figure with each scenario's
        #: estimate and each paired difference with its interval.
        self.document: dict = document
        #: Each scenario's answer to its question against the first, where it declares one.
        self.answers: list[str | None] = answers
        if temporary:
            self._cleanup = weakref.finalize(
                self, shutil.rmtree, str(self.folder.parent), ignore_errors=True
            )

    def series(self, scenario: int) -> Table:
        """Scenario ``scenario``'s yearly series (0 is the first)."""
        metadata = json.loads((self.folder / "metadata.json").read_text())
        name = metadata["scenarios"][scenario]["folder"]
        return _hailsham.read_parquet(f"series {name}", str(self.folder / name / "series.parquet"))

    def to_pandas(self):
        """One row per figure and scenario: the estimate and, for every scenario but the
        first, the paired difference from the first with its interval."""
        import pandas as pd

        nan = float("nan")
        rows = []
        for figure in self.document["figures"]:
            for value in figure["scenarios"]:
                difference = value.get("difference") or {}
                rows.append(
                    {
                        "key": figure["key"],
                        "label": figure["label"],
                        "unit": figure["unit"],
                        "scenario": value["name"],
                        "mean": _number(value["mean"]),
                        "low": _number(value["low"]),
                        "high": _number(value["high"]),
                        "n": value["n"],
                        "difference": _number(difference.get("mean", nan)),
                        "difference_low": _number(difference.get("low", nan)),
                        "difference_high": _number(difference.get("high", nan)),
                        "excludes_zero": bool(difference.get("marked", False)),
                    }
                )
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        lines = [self._text]
        for answer in self.answers:
            if answer:
                lines.append(answer)
        return "\n".join(lines)


def compare(
    scenarios: Sequence[ScenarioLike | tuple[ScenarioLike, Changes]],
    seed: int = 1,
    replicates: int = 5,
    until: int | None = None,
    progress: bool = True,
    threads: int | None = None,
    store: str | os.PathLike[str] | bool | None = None,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    large: bool = False,
) -> Comparison:
    """Runs scenarios with the same seed and replicates and sets each against the first:
    paired differences with their intervals, and the answer where a scenario asks a question.
    A scenario may come with changes: ``("novel", {"care.carer_share": 0.3})``."""
    given = []
    for item in scenarios:
        if isinstance(item, tuple):
            given.append(_given(item[0], item[1]))
        else:
            given.append(_given(item, None))
    if len(given) < 2:
        raise ValueError("a comparison needs at least two scenarios")
    parent = Path(tempfile.mkdtemp(prefix="hailsham-")) if out is None else None
    folder = parent / "comparison" if parent else Path(out)
    try:
        path, text, answers = _hailsham.compare(
            given,
            seed,
            replicates,
            until,
            _threads(threads),
            large,
            _store(store),
            str(folder),
            force,
            _command("compare", scenarios=[g[1][:60] for g in given], seed=seed),
            bar(progress),
        )
    except BaseException:
        if parent:
            shutil.rmtree(parent, ignore_errors=True)
        raise
    return Comparison(path, text, answers, temporary=parent is not None)


class Life:
    """One clone's life, told: the story, the announcements it is told from, and the people
    in it."""

    def __init__(self, text: str, document: str, explained: str) -> None:
        #: The story, wrapped to the width asked for.
        self.text: str = text
        #: The story with the announcements behind each sentence, in words.
        self.explained: str = explained
        data = json.loads(document)
        #: The life as ``hailsham life --format json`` gives it.
        self.document: dict = data
        #: Every announcement naming the clone, in order.
        self.events: list[dict] = data.get("events", [])
        #: Everyone the clone met, with their name, home and what they were to the clone.
        self.people: list[dict] = data.get("people", [])

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def life(
    id: int | None = None,
    scenario: ScenarioLike = "novel",
    seed: int = 1,
    replicate: int = 0,
    until: int | None = None,
    changes: Changes | None = None,
    pattern: str | None = None,
    width: int = 78,
) -> Life:
    """Clone ``id``'s life in replicate ``replicate`` of a scenario, told as a story. Without
    an id, ``pattern`` (a named pattern such as ``"tommy"``, or a pattern's text) picks the
    most unusual life that fits it."""
    given = _given(scenario, changes)
    if id is None:
        if pattern is None:
            raise ValueError("give a clone's id, or a pattern to find one")
        found = json.loads(_hailsham.sift(pattern, given, seed, replicate + 1, until, None, 0, None))
        ranked = [m for m in found["ranked"] if m["replicate"] == replicate]
        if not ranked:
            raise LookupError(f"no life in replicate {replicate} fits `{pattern}`")
        id = ranked[0]["id"]
    return Life(*_hailsham.life(given, seed, replicate, id, until, width))


class Sifted:
    """The lives that fit a pattern: how many per replicate, with intervals, and the most
    unusual, ranked."""

    def __init__(self, document: dict) -> None:
        #: The whole result, as ``hailsham sift --format json`` prints it.
        self.document = document
        self.pattern: dict = document["pattern"]
        #: Matches per replicate, with the 95% interval.
        self.matches = Estimate(**document["matches"])
        #: Clones per replicate, and the share of them that match.
        self.population = Estimate(**document["population"])
        self.share = Estimate(**document["share"])
        #: Each replicate's counts.
        self.replicates: list[dict] = document["replicates"]
        #: The most unusual matches, each with its people, events and the command that tells
        #: its life.
        self.ranked: list[dict] = document["ranked"]

    def __repr__(self) -> str:
        name = self.pattern.get("name") or "pattern"
        return (
            f"<hailsham.Sifted {name}: {self.matches} matches a replicate, "
            f"share {self.share}; {len(self.ranked)} ranked>"
        )


def sift(
    pattern: str,
    scenario: ScenarioLike = "novel",
    seed: int = 1,
    replicates: int = 5,
    until: int | None = None,
    changes: Changes | None = None,
    limit: int = 10,
    progress: bool = True,
    threads: int | None = None,
) -> Sifted:
    """Runs a scenario's replicates and finds the lives that fit ``pattern`` (a named pattern:
    narrator, ruth, tommy, refused, cared-for-partner, never-found; a pattern file; or a
    pattern's text), with their counts and intervals and the ``limit`` most unusual."""
    document = _hailsham.sift(
        pattern,
        _given(scenario, changes),
        seed,
        replicates,
        until,
        _threads(threads),
        limit,
        bar(progress),
    )
    return Sifted(json.loads(document))


def _number(value: float | None) -> float:
    """A number from JSON, which writes NaN as null."""
    return float("nan") if value is None else float(value)


def _column(table: Table, name: str) -> list:
    """A column of a small table as a list, without pyarrow."""
    return table.column(name)


def _closest(word: str, words: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(words), n=1)
    return found[0] if found else None
