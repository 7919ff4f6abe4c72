"""Hostile input on the Anatomy page: layer tables sent by the editor, training settings, and ?job= links.

Every one ends in a shape table with flagged rows, a refusal naming the row that is too big, or nothing,
never an exception, within bounded time and memory. The bulk goes straight through what the page calls on
that input (components.stack_editor.rows_to_spec, models.architecture.propagate / to_code,
models.stack_cost.check_forward / check_training, models.live_training.TrainSettings,
models.training_job.find); a few dozen go through the whole page in AppTest.
"""

import json
import math
import time

import numpy as np
import psutil
import pytest

from app.pages.anatomy import state
from components.stack_editor import rows_to_spec
from models import architecture as arch
from models import stack_cost
from models import training_job as tj
from models.live_training import TrainingConfigError, TrainSettings
from models.resource_policy import ResourceLimitError
from tests.conftest import app_at

pytestmark = pytest.mark.slow

MAX_EXTRA_MB = 500
MAX_SECONDS_EACH = 2.0
MNIST = (1, 28, 28)
COLUMNS = ("out", "k", "stride", "padding")
HOSTILE_VALUES = [math.nan, math.inf, -math.inf, 1e308, -1e308, 10**400, -(10**400), 1e-300, -1, -10**9, 0, 2**63,
                  1024, 1025, 64, 65, 1_000_000, 1_000_001, True, False, None, "3", "NaN", "<b>x</b>",
                  "[Log in](http://198.51.100.7)", [], {}, 2.5, -0.0, "9" * 5000]


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _random_rows(rng) -> object:
    """A layer table as the browser might send it: mostly rows, with hostile values, lengths and types."""
    shape = rng.integers(0, 10)
    if shape == 0:
        return [None, "rows", 7, {"rows": []}, math.nan][int(rng.integers(5))]
    if shape in (1, 2):  # valid rows, hostile sizes: wide, padded convolutions
        return [{"layer": "conv", "out": int(rng.choice([8, 64, 256, 1024])), "k": int(rng.choice([1, 3])),
                 "stride": 1, "padding": int(rng.choice([0, 1, 16, 64]))} for _ in range(int(rng.integers(1, 6)))]
    n = int(rng.choice([0, 1, 3, 8, 20, 64, 65, 200, 1000]))
    rows = []
    for _ in range(n):
        if rng.random() < 0.05:
            rows.append([None, "conv", 3, [1, 2], math.inf][int(rng.integers(5))])
            continue
        row = {"layer": str(rng.choice([*arch.KINDS, "", "CONV", "<script>", "pool"]))}
        for col in COLUMNS:
            roll = rng.random()
            if roll < 0.3:
                row[col] = HOSTILE_VALUES[int(rng.integers(len(HOSTILE_VALUES)))]
            elif roll < 0.9:
                row[col] = int(rng.choice([1, 2, 3, 5, 16, 64, 256, 1024]))
        rows.append(row)
    return rows


def _through_the_page_functions(rows) -> str:
    """What the page does with one editor report; returns which outcome it came to."""
    spec = rows_to_spec(rows)
    rows_out = arch.propagate(spec, MNIST)
    problems = arch.stack_problems(rows_out)
    assert len(rows_out) <= arch.MAX_LAYERS + 1
    if problems:
        assert all(p.startswith("Row ") or p.startswith("The stack is empty") for p in problems)
        return "flagged"
    arch.to_code(spec, MNIST)
    try:
        stack_cost.check_forward(rows_out, MNIST)
        stack_cost.check_training(rows_out, MNIST, batch=512, iterations=20 * 20, evaluations=30)
    except ResourceLimitError as err:
        assert str(err).startswith(("The torchinfo check up to row ", "Training up to row ")), err
        return "refused"
    return "fits"


def test_hundreds_of_generated_layer_tables_end_in_a_table_or_a_refusal():
    rng = np.random.default_rng(13)
    rss0, outcomes = _rss_mb(), {}
    for _ in range(600):
        rows = _random_rows(rng)
        t0 = time.perf_counter()
        outcome = _through_the_page_functions(rows)
        assert time.perf_counter() - t0 < MAX_SECONDS_EACH, rows
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert _rss_mb() - rss0 < MAX_EXTRA_MB
    assert set(outcomes) == {"flagged", "refused", "fits"}, outcomes  # the generator reaches every outcome


@pytest.mark.parametrize("rows, expect", [
    ([{"layer": "conv", "out": 1024, "k": 1, "stride": 1, "padding": 64}] * 4, "refused"),  # 57 s, +2.9 GB
    ([{"layer": "conv", "out": 1024, "k": 1, "stride": 1, "padding": 64}] * 10, "refused"),  # would be ~13 GB
    ([{"layer": "conv", "out": 10**9, "k": 3}], "flagged"),  # huge channels
    ([{"layer": "conv", "out": -5, "k": -3, "stride": -1, "padding": -64}], "flagged"),  # negative
    ([{"layer": "conv", "out": math.nan, "k": math.nan}], "flagged"),  # NaN
    ([{"layer": "conv", "out": 8, "k": 3, "stride": 1, "padding": 10**12}], "flagged"),  # absurd padding
    ([{"layer": "relu"}] * 1000, "flagged"),  # 1000 rows
])
def test_named_hostile_layer_tables(rows, expect):
    t0 = time.perf_counter()
    assert _through_the_page_functions(rows) == expect
    assert time.perf_counter() - t0 < MAX_SECONDS_EACH


def test_generated_training_settings_are_refused_with_a_message():
    rng = np.random.default_rng(5)
    for _ in range(300):
        values = {name: HOSTILE_VALUES[int(rng.integers(len(HOSTILE_VALUES)))] if rng.random() < 0.5 else good
                  for name, good in (("epochs", 2), ("batch_size", 64), ("lr", 0.01), ("optimizer", "sgd"),
                                     ("seed", 0), ("snapshot_every", 20))}
        try:
            TrainSettings(**values)
        except TrainingConfigError as err:
            assert str(err).startswith(("The ", "max_iterations")), err


def test_generated_job_ids_never_find_a_job():
    rng = np.random.default_rng(7)
    for _ in range(500):
        n = int(rng.integers(0, 60))
        junk = "".join(chr(int(c)) for c in rng.integers(32, 0x2FFF, n))
        assert tj.find(junk) is None
    for junk in HOSTILE_VALUES:
        assert tj.find(junk) is None


@pytest.mark.parametrize("seed", range(24))
def test_generated_editor_reports_through_the_page(seed):
    rng = np.random.default_rng(100 + seed)
    at = app_at("pages/anatomy/page.py")
    key = f"{state.ANATOMY_EDITOR}_0_0"
    rss0 = _rss_mb()
    rows = _random_rows(rng)
    report = {"rows": rows, "seq": int(rng.integers(1, 99)), "version": key}
    if seed % 6 == 0:  # a report whose envelope is itself junk
        report = [None, {"rows": "x"}, {"rows": rows, "seq": "NaN", "version": key}, json.dumps(rows)][seed % 4]
    at.session_state[key] = {"rows": report}
    at.session_state[state.ANATOMY_TORCHINFO] = True  # the torchinfo check asked for, whatever the stack
    t0 = time.perf_counter()
    at.run()
    assert time.perf_counter() - t0 < 30
    assert not at.exception, at.exception
    assert _rss_mb() - rss0 < MAX_EXTRA_MB


@pytest.mark.parametrize("junk", ["", "x" * 24, "..%2F..%2Fetc", "<script>alert(1)</script>", "9" * 5000,
                                  "[Log in](http://198.51.100.7/login)", "\u202e" * 30])
def test_hostile_job_links_through_the_page(junk):
    at = app_at("pages/anatomy/page.py", query={"job": junk})
    assert not at.exception and state.ANATOMY_TRAINER not in at.session_state
