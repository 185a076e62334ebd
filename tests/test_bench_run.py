"""`make bench` (bench/run.py) runs every benchmark it lists, and stops rather than leave
one out when a listed script is missing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _run_module(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # run.py imports bench/common.py as a sibling
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_listed_benchmark_is_a_script_in_bench(monkeypatch):
    run = _run_module(monkeypatch)
    names = [name for name, _args in run.BENCHES]
    assert {"two_servers", "scale", "lesson", "quiz", "gradebook"} <= set(names)
    assert [args[0] for _name, args in run.BENCHES if not (BENCH / args[0]).exists()] == []


def test_a_listed_script_that_is_gone_stops_the_run(monkeypatch, tmp_path):
    run = _run_module(monkeypatch)
    monkeypatch.setattr(run, "HERE", tmp_path)  # the report would go there, not to bench/
    monkeypatch.setattr(run, "BENCHES", [("renamed", ["bench_renamed.py"])])
    monkeypatch.setattr(run, "run_one", lambda args: pytest.fail("ran a missing script"))
    monkeypatch.setattr(sys, "argv", ["run.py", "--only", "renamed"])
    with pytest.raises(SystemExit, match="bench_renamed.py, which is not in bench/"):
        run.main()
    assert not (tmp_path / "report.json").exists()
