"""Long calls: the GIL is released while the model runs, Ctrl-C stops a run within a
simulated year, and the wheel's script is the whole command line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

import hailsham
from conftest import cli


def test_the_gil_is_released_while_the_model_runs():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    ticker = threading.Thread(target=tick)
    ticker.start()
    started = time.monotonic()
    hailsham.run(replicates=2, until=1990, progress=False)
    took = time.monotonic() - started
    stop.set()
    ticker.join()
    during = [t for t in ticks if started <= t <= started + took]
    # A thread that needs the GIL every 5 ms kept running: at least half its ticks happened.
    assert took > 0.2
    assert len(during) >= 0.5 * took / 0.005, (len(during), took)


def test_ctrl_c_raises_keyboard_interrupt_within_a_simulated_year():
    # Python's own Ctrl-C handler, whatever this process inherited: a shell starts a job in
    # the background with SIGINT ignored, and Python then keeps it ignored.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # England over the whole run, ten replicates: a minute or more if nothing stops it.
            hailsham.run(replicates=10, threads=1, progress=False, large=True)
    finally:
        stopped = time.monotonic() - started
        timer.cancel()
        signal.signal(signal.SIGINT, inherited)
    assert stopped < 5.0, stopped
    # The interpreter is whole afterwards.
    assert hailsham.run(replicates=1, until=1960, progress=False).replicates == 1


def test_progress_is_drawn_for_a_watcher_and_not_into_a_file(capfd, monkeypatch):
    from hailsham import _progress

    # A terminal (or a notebook) watching: the bar, once the run passes a second.
    monkeypatch.setattr(_progress, "_watched", lambda: True)
    hailsham.run(replicates=4, threads=1, progress=True)
    assert "replicate-years" in capfd.readouterr().err
    # Standard error a file, as under pytest: nothing.
    monkeypatch.undo()
    hailsham.run(replicates=4, threads=1, progress=True)
    assert "replicate-years" not in capfd.readouterr().err


def test_the_script_is_the_command_line(script):
    version = cli(script, "--version")
    assert version.stdout.strip() == f"hailsham {hailsham.VERSION}"
    wrong = cli(script, "run", "--replicates", "many", check=False)
    assert wrong.returncode == 2 and "invalid value" in wrong.stderr
    bad = cli(script, "run", "escpae", check=False)
    assert bad.returncode == 3 and "did you mean `escape`" in bad.stderr
    ran = cli(script, "run", "--replicates", "1", "--until", "1960", "--no-store")
    assert "clones created" in ran.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_script_serves_the_page(script, tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [script, "serve", "--port", str(port), "--store", str(tmp_path / "runs.sqlite")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    body = page.read().decode()
                    assert page.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the page did not answer")
        assert "hailsham" in body.lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/scenarios", timeout=5) as api:
            assert b"no-carers" in api.read()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
