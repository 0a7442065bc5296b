"""Types of the native module `hailsham._hailsham` (crates/python): the runner's operations as
the Python package calls them. Use the package's functions (`hailsham.run`...), not these."""

from __future__ import annotations

import datetime
from typing import Any, Callable, Optional, Sequence, Union

VERSION: str

#: A scenario as the package passes it: ("find", name or path, changes) or ("text", TOML,
#: changes), the changes as (section.key, value) pairs.
Given = tuple[str, str, list[tuple[str, Union[float, int, bool]]]]
#: Called ten times a second: (done, planned, label, notes, finished).
ProgressCallback = Callable[[int, int, str, list[str], bool], None]
#: A run of a sweep: point, replicate, the point's scenario hash, its parameters in words,
#: every figure.
RunTuple = tuple[int, int, str, str, list[float]]

class HailshamError(Exception):
    exit_code: int

class ScenarioError(HailshamError):
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    key: Optional[str]
    expected: Optional[str]
    problems: list[dict[str, Any]]

class BudgetError(HailshamError): ...
class OutputError(HailshamError): ...
class ModelError(HailshamError): ...

class Table:
    """An Arrow table: record batches with their schema, through the PyCapsule interface."""

    @property
    def name(self) -> str: ...
    @property
    def num_rows(self) -> int: ...
    @property
    def column_names(self) -> list[str]: ...
    @property
    def metadata(self) -> dict[str, str]: ...
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...
    def __arrow_c_schema__(self) -> object: ...
    def column(
        self, name: str
    ) -> list[Union[int, float, bool, str, datetime.date, list[float], None]]: ...
    def to_arrow(self) -> Any: ...
    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def __len__(self) -> int: ...

class RunResult:
    scenario: str
    scenario_hash: str
    seed: int
    replicates: int
    start_year: int
    end_year: int
    version: str
    folder: str
    seconds: float
    threads: int
    def figures(self) -> Table: ...
    def text(self) -> str: ...

class SweepPlanHandle: ...

class Sweep:
    name: str
    hash: str
    points: int
    replicates: int
    seed: int
    runs: int
    design: str
    parameters: list[str]
    seconds_per_run: float
    def missing(self) -> list[int]: ...
    def run_here(self, progress: Optional[ProgressCallback] = None) -> None: ...
    def record(self, runs: Sequence[RunTuple]) -> None: ...
    def finish(self, out: str) -> tuple[int, int, int, str, list[float], str]: ...

def main(argv: Sequence[str]) -> int: ...
def run(
    given: Given,
    seed: int,
    replicates: int,
    until: Optional[int],
    records: bool,
    log: bool,
    threads: Optional[int],
    large: bool,
    store: Optional[str],
    folder: str,
    force: bool,
    command: str,
    progress: Optional[ProgressCallback] = None,
) -> RunResult: ...
def read_parquet(name: str, path: str) -> Table: ...
def params(given: Given) -> Table: ...
def scenario_names() -> list[str]: ...
def questions(
    seed: int,
    replicates: int,
    until: Optional[int],
    threads: Optional[int],
    robust: bool,
    large: bool,
    store: Optional[str],
    command: str,
    progress: Optional[ProgressCallback] = None,
) -> str: ...
def compare(
    given: Sequence[Given],
    seed: int,
    replicates: int,
    until: Optional[int],
    threads: Optional[int],
    large: bool,
    store: Optional[str],
    folder: str,
    force: bool,
    command: str,
    progress: Optional[ProgressCallback] = None,
) -> tuple[str, str, list[Optional[str]]]: ...
def life(
    given: Given, seed: int, replicate: int, id: int, until: Optional[int], width: int
) -> tuple[str, str, str]: ...
def stored_life(
    given: Given, folder: str, replicate: int, id: int, width: int
) -> tuple[str, str, str]: ...
def sift(
    pattern: str,
    given: Given,
    seed: int,
    replicates: int,
    until: Optional[int],
    threads: Optional[int],
    limit: int,
    progress: Optional[ProgressCallback] = None,
) -> str: ...
def sift_logs(pattern: str, folder: str, limit: int) -> str: ...
def open_sweep(
    text: str,
    path: str,
    threads: Optional[int],
    large: bool,
    store: Optional[str],
    command: str,
    figure: Optional[str] = None,
) -> Sweep: ...
def plan_sweep(text: str, path: str) -> SweepPlanHandle: ...
def sweep_batch(
    plan: SweepPlanHandle, jobs: Sequence[int], threads: Optional[int] = None
) -> list[RunTuple]: ...
