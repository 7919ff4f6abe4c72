"""AppTest: the Anatomy & training page, driven by its widget keys, with the values it shows checked."""

import json
import time
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from app import session
from app.pages.anatomy import state
from components.stack_editor import _spec_rows, stack_id
from models import architecture as arch
from tests.conftest import app_at

PAGE = "pages/anatomy/page.py"
DIGITS = "pages/digits/page.py"
EDITOR = f"{state.ANATOMY_EDITOR}_0_0"  # default preset, no resets


class _Cells(HTMLParser):
    """The text of every <th>/<td>, row by row, and each body row's class."""

    def __init__(self):
        super().__init__()
        self.rows, self.classes, self._cell = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.classes.append(dict(attrs).get("class") or "")
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell)
            self._cell = None


def _table(at) -> pd.DataFrame:
    """The shape table (HTML) as a DataFrame of its cell texts, plus a "class" column (bad / waiting / total)."""
    page = next(h.value for h in at.html if 'data-testid="anatomy-shapes"' in h.value)
    cells = _Cells()
    cells.feed(page)
    df = pd.DataFrame(cells.rows[1:], columns=cells.rows[0])
    df["class"] = cells.classes[1:]
    return df


def _depth_data(at) -> dict:
    """What the depth chart (an st.components.v2 element) was given: {"svg", "stack_id"}."""
    chart = next(e for e in at.get("bidi_component") if e.proto.component_name == "convlab_anatomy_depth")
    return json.loads(chart.proto.json)


def _total(at) -> str:
    df = _table(at)
    return df[df["Layer"] == "total"]["Parameters"].iloc[0]


def _edit(at, change, seq=1) -> None:
    """Send the editor's report for the default stack after change(rows) (rows: list of dicts), as the browser does."""
    rows = _spec_rows(arch.PRESETS[arch.DEFAULT_PRESET])
    change(rows)
    _send(at, rows, seq)


def _send(at, rows, seq=1) -> None:
    """Send the editor's report with exactly these rows."""
    at.session_state[EDITOR] = {"rows": {"rows": rows, "seq": seq, "version": EDITOR}}
    at.run()


def _wait_for_training(at, timeout=180):
    """Rerun the page every 2 s (its polls keep the run alive) until the training has ended."""
    trainer = at.session_state[state.ANATOMY_TRAINER]
    deadline = time.monotonic() + timeout
    while trainer.running and time.monotonic() < deadline:
        trainer.join(2)
        at.run()
    assert not trainer.running
    at.run()
    return trainer


def test_default_stack_table_plot_and_code():
    at = app_at(PAGE)
    assert not at.exception
    df = _table(at)
    assert list(df["Output shape"])[:4] == ["1 × 28 × 28", "10 × 26 × 26", "10 × 26 × 26", "10 × 13 × 13"]
    assert list(df["Receptive field"])[1:7] == ["3", "3", "4", "8", "8", "10"]
    assert list(df["Jump"])[1:7] == ["1", "1", "2", "2", "2", "4"]
    assert _total(at) == "27,480" and not at.error and set(_table(at)["class"]) == {"", "total"}
    svg = _depth_data(at)["svg"]
    assert 'data-testid="anatomy-depth"' in svg and ">1·conv</text>" in svg and ">6·pool</text>" in svg
    code = at.code[0].value
    assert "nn.Conv2d(1, 10, kernel_size=3" in code and "nn.Linear(500, 50)" in code
    assert any("can be trained below" in c.value for c in at.caption)


@pytest.mark.parametrize("preset, input_name, total", [
    ("LeNet-5 (LeCun 1998, ReLU version)", "28x28x1 (MNIST digit)", "61,706"),
    ("Digit CNN (the Draw-a-digit model)", "64x64x3 (small colour photo)", "198,660"),
    ("Deeper VGG-style CNN", "64x64x3 (small colour photo)", "298,010"),
])
def test_presets_and_input_sizes(preset, input_name, total):
    at = app_at(PAGE)
    at.selectbox(key=state.ANATOMY_PRESET).set_value(preset).run()
    at.radio(key=state.ANATOMY_INPUT).set_value(input_name).run()
    assert not at.exception and _total(at) == total
    if input_name.startswith("64"):
        assert any("28x28x1" in c.value for c in at.caption)


def test_editing_a_row_updates_shapes_and_a_bad_row_is_flagged():
    at = app_at(PAGE)
    _edit(at, lambda rows: rows[0].update(k=5))
    df = _table(at)
    assert df["Output shape"].iloc[1] == "10 × 24 × 24" and df["Receptive field"].iloc[1] == "5"
    chart = _depth_data(at)  # the chart follows the edited stack
    assert "1·conv: 10 feature maps, 24x24 pixels" in chart["svg"] and chart["stack_id"] == stack_id(*at.session_state[state.ANATOMY_SPEC])
    _edit(at, lambda rows: rows[0].update(k=29), seq=2)
    assert not at.exception
    df = _table(at)
    assert df["Check"].iloc[1].startswith("✖ The 29x29 window does not fit in the 28x28 input")
    assert df["Check"].iloc[2] == "… waiting for row 1 to be fixed."
    assert list(df["class"].iloc[1:4]) == ["bad", "waiting", "waiting"]
    assert at.error[0].value.startswith("Row 1: The 29x29 window does not fit")
    assert not at.code and any("Fix the flagged rows" in w.value for w in at.warning)


def test_linear_before_flatten_is_flagged_and_added_rows_count():
    at = app_at(PAGE)
    _edit(at, lambda rows: rows.pop(6))  # remove Flatten
    assert "Add a Flatten layer before it" in at.error[0].value and at.error[0].value.startswith("Row 7:")
    _edit(at, lambda rows: rows.append({"layer": "relu", "out": None, "k": None, "stride": None, "padding": None}),
          seq=2)
    assert not at.error and _table(at)["Layer"].iloc[11] == "ReLU"


def test_reset_goes_back_to_the_preset_and_a_stale_report_is_ignored():
    at = app_at(PAGE)
    _edit(at, lambda rows: rows[0].update(k=5))
    assert _table(at)["Output shape"].iloc[1] == "10 × 24 × 24"
    at.button(key="anatomy_reset").click().run()
    assert not at.exception and _table(at)["Output shape"].iloc[1] == "10 × 26 × 26"
    assert at.session_state[state.ANATOMY_SPEC][0] == arch.PRESETS[arch.DEFAULT_PRESET]
    rows = _spec_rows(arch.PRESETS[arch.DEFAULT_PRESET])
    rows[0]["k"] = 5  # a report made for the editor before the reset
    at.session_state[f"{state.ANATOMY_EDITOR}_0_1"] = {"rows": {"rows": rows, "seq": 9, "version": EDITOR}}
    at.run()
    assert _table(at)["Output shape"].iloc[1] == "10 × 26 × 26"


def test_torchinfo_check_agrees_with_table():
    at = app_at(PAGE)
    at.toggle(key=state.ANATOMY_TORCHINFO).set_value(True).run()
    assert not at.exception
    assert at.success[0].value.startswith("torchinfo agrees with the table: 27,480 parameters")
    assert "Total params: 27,480" in at.code[1].value


def _train_quickly(at, epochs=1, batch=512):
    at.number_input(key=state.ANATOMY_EPOCHS).set_value(epochs)
    at.selectbox(key=state.ANATOMY_BATCH).set_value(batch)
    at.button(key="anatomy_start").click().run()
    assert not at.exception


@pytest.mark.slow
def test_training_updates_curves_and_sends_the_model_to_this_session_only():
    at = app_at(PAGE)
    _train_quickly(at)
    trainer = _wait_for_training(at)
    p = trainer.progress()
    assert p.status == "finished" and p.iteration == 20 and p.iterations_per_epoch == 20
    assert p.train_curve[-1][1] < p.train_curve[0][1]
    assert any("Finished after 20 iterations" in i.value for i in at.info)
    assert [m.value for m in at.metric][:3] == ["1 / 1", "20 / 20", "10,000"]
    assert at.selectbox(key=state.ANATOMY_BATCH).value == 512 and at.number_input(key=state.ANATOMY_EPOCHS).value == 1
    assert session.TRAINED_MODEL not in at.session_state
    at.button(key="anatomy_send").click().run()
    model = at.session_state[session.TRAINED_MODEL]
    assert not model.training
    assert np.array_equal(model.conv1.weight.detach().numpy(), trainer.weights["conv1.weight"])
    assert "held-out accuracy" in at.session_state[session.TRAINED_MODEL_INFO]

    at.switch_page(DIGITS).run()
    assert not at.exception
    assert any("the model you trained" in i.value for i in at.info)
    other = app_at(DIGITS)  # another browser session
    assert not other.exception and session.TRAINED_MODEL not in other.session_state
    assert not any("the model you trained" in i.value for i in other.info)


@pytest.mark.slow
def test_stop_ends_training_and_one_training_per_session():
    at = app_at(PAGE)
    _train_quickly(at, epochs=20, batch=16)
    trainer = at.session_state[state.ANATOMY_TRAINER]
    assert trainer.running and at.button(key="anatomy_start").disabled
    while trainer.running and trainer.progress().iteration < 3:
        trainer.join(1)
        at.run()
    at.button(key="anatomy_stop").click().run()
    trainer = _wait_for_training(at, timeout=60)
    assert trainer.progress().status == "stopped"
    assert any(i.value.startswith("Stopped after") for i in at.info)
    assert not at.button(key="anatomy_start").disabled


def test_designed_stack_training_needs_ten_outputs():
    at = app_at(PAGE)
    at.radio(key=state.ANATOMY_TRAIN_WHAT).set_value("stack").run()
    assert not at.warning and not at.button(key="anatomy_start").disabled
    _edit(at, lambda rows: rows.pop(9))  # drop the last Linear -> 50 outputs
    assert any("must give 10 outputs" in w.value for w in at.warning)
    assert at.button(key="anatomy_start").disabled


@pytest.mark.slow
def test_lenet_stack_trains_but_is_not_sent_to_digits():
    at = app_at(PAGE)
    at.selectbox(key=state.ANATOMY_PRESET).set_value("LeNet-5 (LeCun 1998, ReLU version)").run()
    at.radio(key=state.ANATOMY_TRAIN_WHAT).set_value("stack").run()
    _train_quickly(at)
    trainer = _wait_for_training(at)
    assert trainer.label == "your designed stack" and trainer.progress().kernels[0][1].shape == (6, 5, 5)
    assert any("Only the digit CNN can be sent" in i.value for i in at.info)


def test_projector_mode_renders():
    at = app_at(PAGE, query={"projector": "1"})
    assert not at.exception and _total(at) == "27,480"
    assert arch.DEFAULT_PRESET == at.selectbox(key=state.ANATOMY_PRESET).value


HOSTILE = [{"layer": "conv", "out": 1024, "k": 1, "stride": 1, "padding": 64}] * 4


def test_hostile_stack_torchinfo_is_refused_naming_the_row():
    """Issue: four rows of Conv(out 1024, k 1, pad 64) took 57 s and +2.9 GB in torchinfo."""
    at = app_at(PAGE)
    _send(at, HOSTILE)
    at.toggle(key=state.ANATOMY_TORCHINFO).set_value(True)
    t0 = time.monotonic()
    at.run()
    assert time.monotonic() - t0 < 20 and not at.exception
    assert at.error[0].value.startswith("The torchinfo check up to row 2 (Conv 1x1, 1024 maps, stride 1, pad 64) "
                                        "would need about")
    assert not at.success and len(at.code) == 1  # the PyTorch code is shown, no torchinfo summary


def test_wide_designed_stack_at_batch_512_cannot_start_training():
    """Issue: 256 channels at batch 512 took +1.5 GB; the estimate refuses it before it runs."""
    at = app_at(PAGE)
    _send(at, [{"layer": "conv", "out": 256, "k": 3, "stride": 1, "padding": 1},
               {"layer": "relu"}, {"layer": "flatten"}, {"layer": "linear", "out": 10}])
    at.radio(key=state.ANATOMY_TRAIN_WHAT).set_value("stack")
    at.selectbox(key=state.ANATOMY_BATCH).set_value(512).run()
    assert any(e.value.startswith("Training up to row 1 (Conv 3x3, 256 maps") for e in at.error)
    assert at.button(key="anatomy_start").disabled
    at.selectbox(key=state.ANATOMY_BATCH).set_value(16).run()
    assert not at.error and not at.button(key="anatomy_start").disabled


def test_a_thousand_rows_are_flagged_not_run():
    at = app_at(PAGE)
    t0 = time.monotonic()
    _send(at, [{"layer": "relu"}] * 1000)
    assert time.monotonic() - t0 < 20 and not at.exception
    assert any(f"at most {arch.MAX_LAYERS} layers" in e.value for e in at.error)
    assert len(_table(at)) == arch.MAX_LAYERS + 3  # input, 64 rows, the flagged one, total


@pytest.mark.slow
def test_a_reload_adopts_its_running_job_and_can_stop_it():
    at = app_at(PAGE)
    _train_quickly(at, epochs=20, batch=16)
    job = at.session_state[state.ANATOMY_TRAINER]
    assert at.query_params["job"] == [job.id] or at.query_params["job"] == job.id
    reloaded = app_at(PAGE, query={"job": job.id})  # a new session with the same URL
    assert not reloaded.exception and reloaded.session_state[state.ANATOMY_TRAINER] is job
    assert reloaded.button(key="anatomy_stop").disabled is False
    reloaded.button(key="anatomy_stop").click().run()
    job.join(60)
    assert job.progress().status == "stopped"


@pytest.mark.parametrize("junk", ["x", "../../etc/passwd", "A" * 24, "<script>", "%00" * 10, "9" * 5000])
def test_unknown_or_hostile_job_ids_in_the_url_are_ignored(junk):
    at = app_at(PAGE, query={"job": junk})
    assert not at.exception and state.ANATOMY_TRAINER not in at.session_state
    assert "job" not in at.query_params
