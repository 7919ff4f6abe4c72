"""Named regressions for what a hostile (or unlucky) student can type, upload or link on the Kernels page.

Unit level on models/, then the page in AppTest; the generated bulk is in tests/fuzz/test_kernels_fuzz.py.
"""

import functools
import io

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

import models.convolution as convolution
from app.pages.kernels import state
from components.layout import plain
from models.convolution import ConvSettings, check_convolution, convolution_cost
from models.kernel_url import MAX_PARAM_CHARS, decode
from models.kernels import (
    MAX_TEXT_CHARS,
    KernelError,
    PresetParams,
    check_bias,
    make_preset,
    parse_text,
    suggested_view,
    validate,
)
from models.noise import centre_crop, denoise_comparison
from models.resource_policy import ResourceLimitError, check
from tests.conftest import app_at

LINK = "[Log in here](http://198.51.100.7/login)"
REMOTE_IMAGE = "![t](http://198.51.100.7/t.png)"


def _shown(element) -> str:
    return element.value.replace("\\", "")


# --- messages name the real value and the allowed range ---

def test_minus_1000_0001_cell_is_named_exactly_with_the_range():
    kernel = np.zeros((3, 3))
    kernel[0, 1] = -1000.0001
    with pytest.raises(KernelError) as err:
        validate(kernel)
    text = str(err.value)
    assert "−1000.0001" in text and "−1000 … 1000" in text and "row 1, column 2" in text
    assert "is −1000," not in text  # the old message rounded the value into the limit it broke


@pytest.mark.parametrize("bias,shown", [(-1000.0001, "−1000.0001"), (1000.5, "1000.5"), (float("inf"), "inf"),
                                        (float("nan"), "nan")])
def test_bias_out_of_range_says_the_value_and_range(bias, shown):
    with pytest.raises(KernelError) as err:
        check_bias(bias)
    assert f"bias is {shown}," in str(err.value) and "−1000 … 1000" in str(err.value)


def test_bias_at_the_limits_is_accepted():
    assert check_bias(-1000.0) == -1000.0 and check_bias(1000) == 1000.0


def test_kernel_text_longer_than_the_limit_is_refused_with_its_length():
    with pytest.raises(KernelError, match=f"{MAX_TEXT_CHARS + 1} characters"):
        parse_text("1" * (MAX_TEXT_CHARS + 1))


def test_overlong_url_parameter_is_a_notice_not_a_parse():
    state_, notices = decode({"k": "1," * MAX_PARAM_CHARS, "stride": "2"})
    assert state_.kernel is None and state_.stride == 2
    assert len(notices) == 1 and "characters long" in notices[0]


@pytest.mark.parametrize("raw", [LINK, REMOTE_IMAGE])
def test_markdown_in_the_preset_link_is_a_notice(raw):
    state_, notices = decode({"preset": raw})
    assert state_.preset == "sobel x" and len(notices) == 1
    shown = plain(notices[0])
    assert "](" not in shown and "\\]\\(" in shown  # escaped: shown as text, never a link or an image


# --- the resource policy before a convolution ---

def test_convolution_cost_counts_every_multiply_add():
    s = ConvSettings("valid", stride=2, dilation=1)
    cost = convolution_cost(101, 51, 3, 5, s)
    ho, wo = (101 - 5) // 2 + 1, (51 - 5) // 2 + 1  # 49 x 24, counted by hand
    assert cost.flops == 2 * 3 * ho * wo * 25
    assert cost.bytes == 4 * 3 * (2 * 101 * 51 + 4 * ho * wo)


def test_every_real_image_fits_and_a_giant_one_is_refused_by_name():
    check_convolution(1024, 1024, 3, 11, ConvSettings("zeros", dilation=3), repeats=2)  # the largest upload
    with pytest.raises(ResourceLimitError, match="Convolving this 20000×20000×3 image with a 11×11 kernel"):
        check_convolution(20000, 20000, 3, 11, ConvSettings())


def test_the_estimate_is_not_below_what_convolve_allocates():
    """Measured: the arrays convolve() returns plus its padded copies never exceed the estimate."""
    image = np.random.default_rng(0).random((300, 200, 3), dtype=np.float32)
    s = ConvSettings("reflect", dilation=2)
    out = convolution.convolve(image, np.ones((5, 5)), s)
    p = s.pad(5)
    measured = out.nbytes + 2 * image.nbytes * (300 + 2 * p) * (200 + 2 * p) / (300 * 200)
    assert convolution_cost(300, 200, 3, 5, s).bytes >= measured


# --- the output view chosen to suit the kernel ---

@pytest.mark.parametrize("preset,view", [("box blur", "clipped"), ("gaussian", "clipped"), ("identity", "clipped"),
                                         ("motion blur", "clipped"), ("sobel x", "diverging"),
                                         ("laplacian 4", "diverging"), ("scharr y", "diverging"),
                                         ("outline", "diverging"), ("sharpen", "clipped"), ("emboss", "clipped")])
def test_suggested_view(preset, view):
    chosen, why = suggested_view(make_preset(preset, PresetParams(5))[0])
    assert chosen == view and why.endswith(".") and "\n" not in why


def test_suggested_view_for_unnormalised_positive_and_mixed_kernels():
    assert suggested_view(np.ones((3, 3)))[0] == "stretch"  # sums to 9: outputs up to 9
    assert suggested_view(np.array([[0, -1, 0], [0, 3, 0], [0, 0, 0.]]))[0] == "stretch"  # sums to 2


# --- the linear vs non-linear comparison (maths moved out of the page) ---

def test_denoise_comparison_against_scipy():
    image = np.random.default_rng(1).random((40, 50)).astype(np.float32)
    result = denoise_comparison(image, "salt and pepper", 0.2, 3, "median")
    np.testing.assert_allclose(result["nonlinear"], ndimage.median_filter(result["noisy"], 3, mode="reflect"),
                               atol=1e-6)
    gauss = make_preset("gaussian", PresetParams(3, 0.75))[0]
    np.testing.assert_allclose(result["linear"], ndimage.correlate(result["noisy"], gauss, mode="mirror"), atol=1e-5)
    sx = ndimage.correlate(image.astype(np.float64), make_preset("sobel x", PresetParams())[0], mode="mirror")
    sy = ndimage.correlate(image.astype(np.float64), make_preset("sobel y", PresetParams())[0], mode="mirror")
    np.testing.assert_allclose(result["edges"]["clean"], np.hypot(sx, sy) / 2, atol=1e-5)
    assert centre_crop(np.zeros((10, 30)), 8).shape == (8, 8) and centre_crop(np.zeros((4, 5)), 8).shape == (4, 5)


# --- the page (AppTest) ---

PAGE = "pages/kernels/page.py"


def _page(query=None):
    at = app_at(PAGE, query=query)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("raw", [LINK, REMOTE_IMAGE])
def test_link_markdown_renders_as_plain_text_on_the_page(raw):
    at = _page({"preset": raw, "image": raw})
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2
    for w in warnings:
        assert "](" not in w and "198" in w  # escaped Markdown: the student reads the text, nothing is fetched
    assert at.selectbox(key=state.KERN_PRESET).value == "sobel x"


def _upload(at, side: int):
    buf = io.BytesIO()
    Image.fromarray((np.arange(side * side).reshape(side, side) * 7 % 256).astype(np.uint8)).save(buf, "PNG")
    at.segmented_control(key=state.KERN_SOURCE).set_value("Upload").run()
    at.file_uploader(key=f"{state.KERN_IMAGE}_upload").upload(f"tiny{side}.png", buf.getvalue(), "image/png").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("side", [5, 4, 3, 12, 13])
def test_tiny_upload_gives_a_sliding_window_not_a_min_max_traceback(side):
    """Regression: a 5x5 upload raised StreamlitInvalidMinMaxError in the animation's crop sliders."""
    at = _page()
    _upload(at, side)
    anim = [e for e in at.get("bidi_component") if e.proto.component_name == "convlab_sliding_window"]
    if side >= 4:
        assert len(anim) == 1 and not at.error
    else:  # below models.images.MIN_SIDE: the loader's message, and the settings stay drawn
        assert not anim and any("too small" in _shown(e) for e in at.error)
        assert at.selectbox(key=state.KERN_PRESET).value == "sobel x"


def test_a_cell_over_40_characters_gets_a_clear_message():
    import json

    at = _page()
    grid = [e for e in at.get("bidi_component") if e.proto.component_name == "convlab_kernel_grid"][0]
    sig = json.loads(grid.proto.json)["sig"]
    at.session_state[state.KERN_GRID] = {"edits": {"sig": sig, "edits": {"0,1": "0." + "1" * 45}}}
    at.run()
    assert not at.exception
    assert any("row 1, column 2" in _shown(e) and "more than 40 characters" in _shown(e) for e in at.error)


def test_a_convolution_over_the_budget_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(convolution, "check", functools.partial(check, max_bytes=10_000))
    at = _page()
    assert any("Convolving this 300×451×1 image with a 3×3 kernel" in _shown(e) for e in at.error)
    assert not [e for e in at.get("bidi_component") if e.proto.component_name == "convlab_pixel_picker"]


def test_settings_survive_upload_and_back_in_apptest():
    at = _page({"preset": "gaussian", "size": "7", "bias": "0.25", "stride": "2", "image": "coffee"})
    before = {k: at.session_state[k] for k in (state.KERN_PRESET, state.KERN_SIZE, state.KERN_BIAS,
                                               state.KERN_STRIDE, state.KERN_SAMPLE, state.KERN_VIEW)}
    _upload(at, 20)
    at.segmented_control(key=state.KERN_SOURCE).set_value("Webcam").run()
    at.segmented_control(key=state.KERN_SOURCE).set_value("Sample").run()
    assert not at.exception
    assert {k: at.session_state[k] for k in before} == before
    assert at.selectbox(key=state.KERN_SAMPLE).value == "coffee"
