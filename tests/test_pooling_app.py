"""AppTest: drive every control of the Pooling page by key and check what the page then says."""

import re

import pytest

from app import state
from tests.conftest import app_at

NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


@pytest.fixture(scope="module")
def at():
    return app_at("views/pooling.py")


def _html(at, testid: str) -> str:
    found = [h.value for h in [*at.html, *at.markdown] if f'data-testid="{testid}"' in h.value]
    assert found, f"no {testid} on the page"
    return found[0]


def _svg(at, testid: str) -> str:
    found = [m.value for m in at.markdown if f'data-testid="{testid}"' in m.value]
    assert found, f"no {testid} figure on the page"
    return found[0]


def _coverage(at) -> list[int]:
    return [int(v) for v in re.findall(r'data-coverage="(\d+)"', _svg(at, "pool-coverage"))]


def _ok(at):
    assert not at.exception, at.exception
    return at


def test_defaults_show_every_section(at):
    _ok(at)
    assert at.title[0].value == "Pooling"
    assert "max(" in _html(at, "pool-arith")
    assert "Missed pixels: 0 of 64" in _html(at, "pool-missed")
    assert len(_coverage(at)) == 64 and set(_coverage(at)) == {1}
    assert "floor(6/2) + 1 = 4" in at.code[0].value
    assert _svg(at, "pool-gradient").count('data-grad="1"') == 16
    assert any("pool2" in str(df.value) for df in at.dataframe)


@pytest.mark.parametrize("index,missed,overlap", [(0, 0, 0), (1, 15, 24), (2, 28, 0), (3, 0, 60)])
def test_presets_reproduce_the_classic_pictures(at, index, missed, overlap):
    at.button(key=f"{state.POOL_PRESET}_{index}").click().run()
    _ok(at)
    cov = _coverage(at)
    assert sum(c == 0 for c in cov) == missed
    assert sum(c >= 2 for c in cov) == overlap
    assert f"Missed pixels: {missed} of 64" in _html(at, "pool-missed")


def test_every_pooling_type_and_its_options(at):
    at.button(key=f"{state.POOL_PRESET}_0").click().run()
    for mode, word in (("mean", " / 4 = "), ("min", "min("), ("lp", "^(1/2)"), ("max", "max(")):
        at.segmented_control(key=state.POOL_MODE).set_value(mode).run()
        _ok(at)
        assert word in _html(at, "pool-arith"), mode
    at.segmented_control(key=state.POOL_MODE).set_value("lp").run()
    at.select_slider(key=state.POOL_P).set_value(3.0).run()
    assert "^(1/3)" in _html(at, "pool-arith")
    at.segmented_control(key=state.POOL_MODE).set_value("mean").run()
    at.slider(key=state.POOL_KERNEL).set_value(3).run()
    at.slider(key=state.POOL_PADDING).set_value(1).run()
    assert "(padding zeros counted)" in _html(at, "pool-arith")
    at.checkbox(key=state.POOL_COUNT_PAD).uncheck().run()
    _ok(at)
    assert "(padding not counted)" in _html(at, "pool-arith")
    at.checkbox(key=state.POOL_CEIL).check().run()
    _ok(at)
    assert "ceil((8 + 2·1" in at.code[0].value
    at.segmented_control(key=state.POOL_MODE).set_value("max").run()
    at.slider(key=state.POOL_DILATION).set_value(2).run()
    _ok(at)
    assert 'data-kind="window"' in _svg(at, "pool-input")
    at.toggle(key=state.POOL_SEPARATE).set_value(True).run()
    at.slider(key=state.POOL_KH).set_value(2).run()
    at.slider(key=state.POOL_KW).set_value(4).run()
    _ok(at)
    assert "H: ceil((8 + 2·1 − 2·(2−1) − 1)" in at.code[0].value
    at.toggle(key=state.POOL_SEPARATE).set_value(False).run()
    at.button(key=f"{state.POOL_PRESET}_0").click().run()


def test_step_slider_and_play(at):
    at.button(key=f"{state.POOL_PRESET}_0").click().run()
    at.slider(key=state.POOL_STEP).set_value(5).run()
    assert "Output (row 2, column 2)" in _html(at, "pool-arith")
    at.select_slider(key=state.POOL_SPEED).set_value(8).run()
    at.button(key=state.POOL_PLAY).click().run()
    _ok(at)
    assert at.session_state[state.POOL_PLAYING] is True
    assert at.button(key=state.POOL_PLAY).label == "Pause"
    block = _html(at, "pool-step")
    assert block.count('class="pool-input-f"') == 16 and block.count('class="pool-arith-f"') == 16
    assert "animation:pool-input-f-on 2.000s" in block  # 16 cells at 8 per second
    assert 'data-frame="5" style="animation-delay:0.000s"' in block  # the loop starts at the chosen cell
    at.button(key=state.POOL_PLAY).click().run()
    assert at.session_state[state.POOL_PLAYING] is False
    assert 5 <= at.session_state[state.POOL_STEP] < 16  # paused on the cell that was on screen
    at.select_slider(key=state.POOL_SPEED).set_value(5).run()


@pytest.mark.parametrize("source", ["gradient", "checkerboard", "sparse", "image", "random"])
def test_grid_sources_and_size(at, source):
    at.selectbox(key=state.POOL_SOURCE).set_value(source).run()
    _ok(at)
    if source == "image":
        at.selectbox(key=state.POOL_PATCH_SAMPLE).set_value("cat").run()
    if source in ("random", "sparse"):
        at.button(key=state.POOL_NEW_GRID).click().run()
    at.slider(key=state.POOL_SIZE).set_value(5).run()
    _ok(at)
    assert len(_coverage(at)) == 25
    at.slider(key=state.POOL_SIZE).set_value(8).run()


def test_typed_grid_rejects_a_word(at):
    at.selectbox(key=state.POOL_SOURCE).set_value("typed").run()
    key = f"{state.POOL_TYPED}_8_{at.session_state[state.POOL_SEED]}"
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"1": "100"}}}
    at.run()
    _ok(at)
    assert ">100<" in _svg(at, "pool-input") and ">100<" in _svg(at, "pool-output")
    at.session_state[key] = {**NO_EDITS, "edited_rows": {1: {"3": "abc"}}}
    at.run()
    assert "(row 2, column 3) holds “abc”, which is not a number" in at.error[0].value
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "1e30"}}}
    at.run()
    assert "1e+30; keep values between" in at.error[0].value
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "nan"}}}
    at.run()
    assert "not a usable number" in at.error[0].value
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "-3"}}}
    at.run()
    _ok(at)
    assert not at.error
    at.segmented_control(key=state.POOL_MODE).set_value("lp").run()
    assert "negative values" in at.error[0].value
    at.segmented_control(key=state.POOL_MODE).set_value("max").run()
    at.selectbox(key=state.POOL_SOURCE).set_value("random").run()


@pytest.mark.parametrize("setting,message", [
    ({state.POOL_SIZE: 4, state.POOL_KERNEL: 5, state.POOL_STRIDE: 1}, "The 5x5 window does not fit in a 4x4 input"),
    ({state.POOL_SIZE: 4, state.POOL_KERNEL: 2, state.POOL_PADDING: 2}, "Padding 2 is more than half the window"),
    ({state.POOL_SIZE: 4, state.POOL_KERNEL: 3, state.POOL_DILATION: 3, state.POOL_PADDING: 0},
     "spread to 7x7 by dilation) does not fit in a 4x4 input"),
])
def test_bad_settings_explained_not_traceback(setting, message):
    at = app_at("views/pooling.py")
    for key, value in setting.items():
        at.slider(key=key).set_value(value).run()
    _ok(at)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert _svg(at, "pool-input")  # the input is still shown


def test_backward_controls(at):
    at.button(key=f"{state.POOL_PRESET}_3").click().run()  # kernel 3 stride 1: overlap accumulates
    assert "accumulate" in " ".join(m.value for m in at.markdown)
    at.radio(key=state.POOL_GRAD_TARGET).set_value("cell").run()
    at.slider(key=state.POOL_GRAD_CELL).set_value(3).run()
    _ok(at)
    grads = re.findall(r'data-grad="([^"]+)"', _svg(at, "pool-gradient"))
    assert sum(float(g) for g in grads) == 1.0 and grads.count("1") == 1
    at.radio(key=state.POOL_GRAD_TARGET).set_value("ones").run()


def test_real_image_controls(at):
    at.slider(key=state.POOL_LEVELS).set_value(4).run()
    _ok(at)
    captions = " ".join(c for img in at.image for c in img.captions)
    assert "Max, level 4: 32x32" in captions and "Mean, level 4: 32x32" in captions
    at.slider(key=state.POOL_IMG_KERNEL).set_value(3).run()
    at.radio(key=state.POOL_VARIANT).set_value("salt_pepper").run()
    at.slider(key=state.POOL_NOISE).set_value(0.2).run()
    _ok(at)
    at.radio(key=state.POOL_VARIANT).set_value("gaussian").run()
    at.radio(key=state.POOL_VARIANT).set_value("sparse").run()
    _ok(at)
    at.selectbox(key=f"{state.POOL_IMG}_sample").set_value("digit").run()
    at.slider(key=state.POOL_LEVELS).set_value(4).run()
    at.slider(key=state.POOL_IMG_KERNEL).set_value(4).run()
    at.radio(key=state.POOL_VARIANT).set_value("clean").run()
    _ok(at)
    assert any("fewer levels" in e.value for e in at.error)
    at.slider(key=state.POOL_LEVELS).set_value(2).run()
    at.segmented_control(key=f"{state.POOL_IMG}_source").set_value("Upload").run()
    _ok(at)
    at.segmented_control(key=f"{state.POOL_IMG}_source").set_value("Sample").run()


def test_receptive_field_controls(at):
    text = _html(at, "pool-rf-text")
    assert "<b>10x10</b> region" in text and "pool2" in text
    at.selectbox(key=state.POOL_RF_LAYER).set_value("conv1").run()
    at.number_input(key=state.POOL_RF_ROW).set_value(0).run()
    at.number_input(key=state.POOL_RF_COL).set_value(25).run()
    _ok(at)
    assert "rows 0–2 and columns 25–27: a <b>3x3</b>" in _html(at, "pool-rf-text")
    at.number_input(key=state.POOL_RF_N).set_value(32).run()
    _ok(at)
    at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "edited_rows": {1: {"p": 2}}}
    at.run()
    assert "more than half" in at.error[0].value
    at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "added_rows": [{"kind": "conv", "k": 3, "s": 1, "p": 1}]}
    at.run()
    _ok(at)
    assert "conv3" in at.selectbox(key=state.POOL_RF_LAYER).options


def test_projector_mode_renders_everything():
    at = app_at("views/pooling.py", query={"projector": "1"})
    _ok(at)
    assert 'font-size="22"' in _svg(at, "pool-input")
    assert "1.35rem" in _html(at, "pool-coverage-legend")
