"""The classroom load test's verdict: budgets on the topology a class uses, the 1-process run as baseline."""

from benchmarks.classroom.run import budgets


def _summary(load_p95: float, act_p95: float, runs_per_s: float, errors: int = 0) -> dict:
    return {"pages": {"home": {"load": {"p95_ms": load_p95}},
                      "kernels": {"load": {"p95_ms": 100.0}, "interaction": {"p95_ms": act_p95}}},
            "errors": errors, "saturation": {"runs_per_s": runs_per_s, "errors": 0}}


def test_make_classroom_verdict_needs_every_budget_behind_nginx():
    one = _summary(3000, 1300, 40)
    ok = budgets(one, _summary(3000, 900, 64))
    assert ok["make_classroom_ok"] and not ok["one_process"]["interactions_ok"]
    assert ok["throughput_speedup"] == 1.6
    assert not budgets(one, _summary(3000, 1001, 64))["make_classroom_ok"]  # interaction p95 over 1 s
    assert not budgets(one, _summary(5001, 900, 64))["make_classroom_ok"]  # a page load over 5 s
    assert not budgets(one, _summary(3000, 900, 59))["make_classroom_ok"]  # under 1.5x the throughput
    assert not budgets(one, _summary(3000, 900, 64, errors=1))["make_classroom_ok"]
