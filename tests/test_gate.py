"""The accuracy gate refuses a floor lowered without saying so."""
from __future__ import annotations

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("eval_gate", Path(__file__).parent.parent / "benchmarks" / "eval_gate.py")
gate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate)


def floors(value, lowered=None):
    return {"gates": {"seed": {"floors": {"attribution.f1": value}}}, "lowered": lowered or {}}


def test_silent_lowering_fails():
    assert gate.unexplained_lowerings(floors(0.8), [floors(0.9), floors(0.85)])


def test_lowering_with_a_reason_passes():
    assert not gate.unexplained_lowerings(floors(0.8, {"seed:attribution.f1": "why"}), [floors(0.9)])


def test_raising_passes_and_removal_fails():
    assert not gate.unexplained_lowerings(floors(0.95), [floors(0.9)])
    assert gate.unexplained_lowerings({"gates": {"seed": {"floors": {}}}}, [floors(0.9)])


def test_metric_names_with_dots():
    assert gate.metric({"content_0.3": {"f1": 0.5}}, "content_0.3.f1") == 0.5
    assert gate.metric({"articles": 3}, "articles") == 3.0
    assert gate.metric({}, "attribution.f1") is None
