"""AppTest: drive every control of the Pooling page by key and check what the page then says."""

import html
import json
import re

import pytest

from app.pages.pooling import state
from tests.conftest import app_at, widget

NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


@pytest.fixture(scope="module")
def at():
    return app_at("pages/pooling/page.py")


def _views(at) -> list[str]:
    """The markup of every components.pooling_view block on the page."""
    return [json.loads(el.proto.json)["html"] for el in at.get("bidi_component")
            if el.proto.component_name == "convlab_trusted_html"]


def _html(at, testid: str) -> str:
    found = [h for h in [*(h.value for h in [*at.html, *at.markdown]), *_views(at)] if f'data-testid="{testid}"' in h]
    assert found, f"no {testid} on the page"
    return found[0]


def _svg(at, testid: str) -> str:
    found = [v for v in _views(at) if f'<svg data-testid="{testid}"' in v]
    assert found, f"no {testid} figure on the page"
    return found[0]


def _formula(at) -> str:
    """PyTorch's output-size formula as the summary prints it."""
    return html.unescape(re.search(r'data-testid="pool-formula"[^>]*>(.*?)</pre>', _html(at, "pool-formula"), re.S)[1])


def _coverage(at) -> list[int]:
    return [int(v) for v in re.findall(r'data-coverage="(\d+)"', _svg(at, "pool-coverage"))]


def _errors(at) -> list[str]:
    """The error messages as the student reads them (user text is escaped so Markdown shows it literally)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def _ok(at):
    assert not at.exception, at.exception
    return at


def test_defaults_show_the_grid_demo(at):
    _ok(at)
    assert at.title[0].value == "Pooling"
    assert "max(" in _html(at, "pool-arith")
    assert "Missed pixels: 0 of 64" in _html(at, "pool-missed")
    assert len(_coverage(at)) == 64 and set(_coverage(at)) == {1}
    assert "floor(6/2) + 1 = 4" in _formula(at)
    assert _svg(at, "pool-gradient").count('data-grad="1"') == 16
    assert not at.dataframe  # the receptive-field part is not built until it is chosen


def _show(at, section: str):
    """Choose a part of the page with the switch above the demo."""
    return _ok(widget(at, "segmented_control", state.POOL_SECTION).set_value(section).run())


@pytest.mark.parametrize("index,missed,overlap", [(0, 0, 0), (1, 15, 24), (2, 28, 0), (3, 0, 60)])
def test_presets_reproduce_the_classic_pictures(at, index, missed, overlap):
    widget(at, "button", f"{state.POOL_PRESET}_{index}").click().run()
    _ok(at)
    cov = _coverage(at)
    assert sum(c == 0 for c in cov) == missed
    assert sum(c >= 2 for c in cov) == overlap
    assert f"Missed pixels: {missed} of 64" in _html(at, "pool-missed")


def test_every_pooling_type_and_its_options(at):
    widget(at, "button", f"{state.POOL_PRESET}_0").click().run()
    for mode, word in (("mean", " / 4 = "), ("min", "min("), ("lp", "^(1/2)"), ("max", "max(")):
        widget(at, "segmented_control", state.POOL_MODE).set_value(mode).run()
        _ok(at)
        assert word in _html(at, "pool-arith"), mode
    widget(at, "segmented_control", state.POOL_MODE).set_value("lp").run()
    widget(at, "select_slider", state.POOL_P).set_value(3.0).run()
    assert "^(1/3)" in _html(at, "pool-arith")
    widget(at, "segmented_control", state.POOL_MODE).set_value("mean").run()
    widget(at, "slider", state.POOL_KERNEL).set_value(3).run()
    widget(at, "slider", state.POOL_PADDING).set_value(1).run()
    assert "(padding zeros counted)" in _html(at, "pool-arith")
    widget(at, "checkbox", state.POOL_COUNT_PAD).uncheck().run()
    _ok(at)
    assert "(padding not counted)" in _html(at, "pool-arith")
    widget(at, "checkbox", state.POOL_CEIL).check().run()
    _ok(at)
    assert "ceil((8 + 2·1" in _formula(at)
    widget(at, "segmented_control", state.POOL_MODE).set_value("max").run()
    widget(at, "slider", state.POOL_DILATION).set_value(2).run()
    _ok(at)
    assert 'data-kind="window"' in _svg(at, "pool-input")
    widget(at, "toggle", state.POOL_SEPARATE).set_value(True).run()
    widget(at, "slider", state.POOL_KH).set_value(2).run()
    widget(at, "slider", state.POOL_KW).set_value(4).run()
    _ok(at)
    assert "H: ceil((8 + 2·1 − 2·(2−1) − 1)" in _formula(at)
    widget(at, "toggle", state.POOL_SEPARATE).set_value(False).run()
    widget(at, "button", f"{state.POOL_PRESET}_0").click().run()


def test_step_slider_and_play(at):
    widget(at, "button", f"{state.POOL_PRESET}_0").click().run()
    widget(at, "slider", state.POOL_STEP).set_value(6).run()  # cells are numbered from 1, row by row
    assert "Output (row 2, column 2)" in _html(at, "pool-arith")
    widget(at, "select_slider", state.POOL_SPEED).set_value(8).run()
    widget(at, "button", state.POOL_PLAY).click().run()
    _ok(at)
    assert at.session_state[state.POOL_PLAYING] is True
    assert widget(at, "button", state.POOL_PLAY).label == "Pause"
    block = _html(at, "pool-step")
    assert block.count('class="pool-input-f"') == 16 and block.count('class="pool-arith-f"') == 16
    assert "animation:pool-input-f-on 2.000s" in block  # 16 cells at 8 per second
    first = int(re.search(r'class="pool-input-f" data-frame="(\d+)" style="animation-delay:0.000s"', block)[1])
    assert 5 <= first <= 7  # the loop starts at the chosen cell (index 5), or the one on screen a moment later
    widget(at, "button", state.POOL_PLAY).click().run()
    assert at.session_state[state.POOL_PLAYING] is False
    assert 6 <= at.session_state[state.POOL_STEP] <= 16  # paused on the cell that was on screen
    widget(at, "select_slider", state.POOL_SPEED).set_value(5).run()


@pytest.mark.parametrize("source", ["gradient", "checkerboard", "sparse", "image", "random"])
def test_grid_sources_and_size(at, source):
    widget(at, "selectbox", state.POOL_SOURCE).set_value(source).run()
    _ok(at)
    if source == "image":
        widget(at, "selectbox", state.POOL_PATCH_SAMPLE).set_value("cat").run()
    if source in ("random", "sparse"):
        widget(at, "button", state.POOL_NEW_GRID).click().run()
    widget(at, "slider", state.POOL_SIZE).set_value(5).run()
    _ok(at)
    assert len(_coverage(at)) == 25
    widget(at, "slider", state.POOL_SIZE).set_value(8).run()


def test_typed_grid_rejects_a_word(at):
    widget(at, "selectbox", state.POOL_SOURCE).set_value("typed").run()
    key = f"{state.POOL_TYPED}_8_{at.session_state[state.POOL_SEED]}"
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"1": "100"}}}
    at.run()
    _ok(at)
    assert ">100<" in _svg(at, "pool-input") and ">100<" in _svg(at, "pool-output")
    at.session_state[key] = {**NO_EDITS, "edited_rows": {1: {"3": "abc"}}}
    at.run()
    assert "(row 2, column 3) holds “abc”, which is not a number" in _errors(at)[0]
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "1e30"}}}
    at.run()
    assert "1e+30; keep values between" in _errors(at)[0]
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "nan"}}}
    at.run()
    assert "holds “nan”, which is not a finite number" in _errors(at)[0]
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "[Log in](http://x.co)"}}}
    at.run()
    assert "holds “[Log in](http://x.co)”, which is not a number" in _errors(at)[0]
    assert "\\[Log in\\]\\(http" in at.error[0].value  # escaped: Markdown shows it as text, not as a link
    at.session_state[key] = {**NO_EDITS, "edited_rows": {0: {"2": "-3"}}}
    at.run()
    _ok(at)
    assert not at.error
    widget(at, "segmented_control", state.POOL_MODE).set_value("lp").run()
    assert "negative values" in _errors(at)[0]
    widget(at, "segmented_control", state.POOL_MODE).set_value("max").run()
    _show(at, "rf")
    _show(at, "grid")  # the editor was not drawn in between: what was typed comes back
    assert ">−3<" in _svg(at, "pool-input")
    widget(at, "selectbox", state.POOL_SOURCE).set_value("random").run()


@pytest.mark.parametrize("setting,message", [
    ({state.POOL_SIZE: 4, state.POOL_KERNEL: 5, state.POOL_STRIDE: 1}, "The 5x5 window does not fit in a 4x4 input"),
    ({state.POOL_SIZE: 4, state.POOL_KERNEL: 2, state.POOL_PADDING: 2}, "Padding 2 is more than half the window"),
    ({state.POOL_SIZE: 4, state.POOL_KERNEL: 3, state.POOL_DILATION: 3, state.POOL_PADDING: 0},
     "spread to 7x7 by dilation) does not fit in a 4x4 input"),
])
def test_bad_settings_explained_not_traceback(setting, message):
    at = app_at("pages/pooling/page.py")
    for key, value in setting.items():
        widget(at, "slider", key).set_value(value).run()
    _ok(at)
    assert any(message in e for e in _errors(at)), _errors(at)
    assert _svg(at, "pool-input")  # the input is still shown


def test_backward_controls(at):
    widget(at, "button", f"{state.POOL_PRESET}_3").click().run()  # kernel 3 stride 1: overlap accumulates
    assert "accumulate" in " ".join([m.value for m in at.markdown] + _views(at))
    widget(at, "radio", state.POOL_GRAD_TARGET).set_value("cell").run()
    widget(at, "slider", state.POOL_GRAD_CELL).set_value(3).run()
    _ok(at)
    grads = re.findall(r'data-grad="([^"]+)"', _svg(at, "pool-gradient"))
    assert sum(float(g) for g in grads) == 1.0 and grads.count("1") == 1
    widget(at, "radio", state.POOL_GRAD_TARGET).set_value("ones").run()


def test_real_image_controls(at):
    _show(at, "images")
    assert not _views(at) or "pool-coverage" not in " ".join(_views(at))  # the grid demo is not built
    widget(at, "slider", state.POOL_LEVELS).set_value(4).run()
    _ok(at)
    captions = " ".join(re.findall(r'data-testid="pool-level-caption"[^>]*>([^<]*)<', _html(at, "pool-levels")))
    assert "Max, level 4: 32x32" in captions and "Mean, level 4: 32x32" in captions
    widget(at, "slider", state.POOL_IMG_KERNEL).set_value(3).run()
    widget(at, "radio", state.POOL_VARIANT).set_value("salt_pepper").run()
    widget(at, "slider", state.POOL_NOISE).set_value(0.2).run()
    _ok(at)
    widget(at, "radio", state.POOL_VARIANT).set_value("gaussian").run()
    widget(at, "radio", state.POOL_VARIANT).set_value("sparse").run()
    _ok(at)
    widget(at, "selectbox", f"{state.POOL_IMG}_sample").set_value("digit").run()
    widget(at, "slider", state.POOL_LEVELS).set_value(4).run()
    widget(at, "slider", state.POOL_IMG_KERNEL).set_value(4).run()
    widget(at, "radio", state.POOL_VARIANT).set_value("clean").run()
    _ok(at)
    assert any("fewer levels" in e for e in _errors(at))
    widget(at, "slider", state.POOL_LEVELS).set_value(2).run()
    widget(at, "segmented_control", f"{state.POOL_IMG}_source").set_value("Upload").run()
    _ok(at)
    widget(at, "segmented_control", f"{state.POOL_IMG}_source").set_value("Sample").run()


def test_receptive_field_controls(at):
    _show(at, "rf")
    assert any("pool2" in str(df.value) for df in at.dataframe)
    text = _html(at, "pool-rf-text")
    assert "<b>10x10</b> region" in text and "pool2" in text
    widget(at, "selectbox", state.POOL_RF_LAYER).set_value("conv1").run()
    widget(at, "number_input", state.POOL_RF_ROW).set_value(1).run()
    widget(at, "number_input", state.POOL_RF_COL).set_value(26).run()
    _ok(at)
    assert "Unit (row 1, column 26)" in _html(at, "pool-rf-text")
    assert "rows 1–3 and columns 26–28: a <b>3x3</b>" in _html(at, "pool-rf-text")
    widget(at, "number_input", state.POOL_RF_N).set_value(32).run()
    _ok(at)
    at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "edited_rows": {1: {"p": 2}}}
    at.run()
    assert "more than half" in _errors(at)[0]
    at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "added_rows": [{"kind": "conv", "k": 3, "s": 1, "p": 1}]}
    at.run()
    _ok(at)
    assert "conv3" in widget(at, "selectbox", state.POOL_RF_LAYER).options


def test_projector_mode_renders_everything():
    at = app_at("pages/pooling/page.py", query={"projector": "1"})
    _ok(at)
    assert 'font-size="22"' in _svg(at, "pool-input")
    assert "1.35rem" in _html(at, "pool-coverage-legend")
    assert "Mean, level 3" in _html(_show(at, "images"), "pool-levels")
    assert "<b>10x10</b>" in _html(_show(at, "rf"), "pool-rf-text")


@pytest.mark.parametrize("n", [1, 3, 7, 9, 36, 49, 121, 256])
def test_play_frames_never_overlap(n):
    """Each frame is visible for at most 1/n of the loop (it may end a hair early, never late)."""
    from components.pooling_grid import frame_css

    share = float(re.search(r"\{0%\{visibility:visible\}([0-9.]+)%", frame_css("f", n, 0.2)).group(1))
    assert share * n <= 100 and share > 100 / n - 1e-5


def test_settings_survive_switching_parts_and_hidden_options():
    """Every setting comes back unchanged after its widgets were not drawn for a while (another part of the
    page, an option shown only for one pooling type, an upload)."""
    at = app_at("pages/pooling/page.py")
    grid = {("segmented_control", state.POOL_MODE): "lp", ("select_slider", state.POOL_P): 3.0,
            ("slider", state.POOL_KERNEL): 3, ("slider", state.POOL_STRIDE): 1, ("checkbox", state.POOL_CEIL): True,
            ("slider", state.POOL_SIZE): 7, ("select_slider", state.POOL_SPEED): 8}
    for (kind, key), value in grid.items():
        widget(at, kind, key).set_value(value).run()
    widget(at, "segmented_control", state.POOL_MODE).set_value("mean").run()  # hides the power p
    widget(at, "checkbox", state.POOL_COUNT_PAD).uncheck().run()
    widget(at, "segmented_control", state.POOL_MODE).set_value("lp").run()  # hides count_include_pad
    images = {("slider", state.POOL_LEVELS): 4, ("slider", state.POOL_IMG_KERNEL): 3,
              ("radio", state.POOL_VARIANT): "gaussian", ("slider", state.POOL_NOISE): 0.3,
              ("selectbox", f"{state.POOL_IMG}_sample"): "cat"}
    _show(at, "images")
    for (kind, key), value in images.items():
        widget(at, kind, key).set_value(value).run()
    widget(at, "segmented_control", f"{state.POOL_IMG}_source").set_value("Upload").run()
    widget(at, "segmented_control", f"{state.POOL_IMG}_source").set_value("Sample").run()
    _show(at, "rf")
    widget(at, "selectbox", state.POOL_RF_LAYER).set_value("conv2").run()
    widget(at, "number_input", state.POOL_RF_ROW).set_value(2).run()
    at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "edited_rows": {0: {"p": 1}}}
    at.run()
    _show(at, "grid")
    _show(at, "images")
    _show(at, "grid")
    _ok(at)
    for (kind, key), value in grid.items():
        assert widget(at, kind, key).value == value, key
    widget(at, "segmented_control", state.POOL_MODE).set_value("mean").run()
    assert widget(at, "checkbox", state.POOL_COUNT_PAD).value is False
    _show(at, "images")
    for (kind, key), value in images.items():
        assert widget(at, kind, key).value == value, key
    _show(at, "rf")
    assert widget(at, "selectbox", state.POOL_RF_LAYER).value == "conv2"
    assert widget(at, "number_input", state.POOL_RF_ROW).value == 2
    assert at.dataframe[0].value.loc[0, "p"] == 1  # the edited padding of conv1 survived
    assert "28x28" in str(at.dataframe[1].value)  # and is used: 28 + 2·1 − 3 + 1
    assert not at.warning  # no "default value and Session State" warning from the image picker
