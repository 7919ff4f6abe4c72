"""AppTest: the Kernels page driven control by control, checking the values it shows."""

import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from app.pages.kernels import state
from models.convolution import ConvSettings, convolve, inspect_pixel
from models.images import load_sample, to_gray
from models.kernel_url import ALL_PRESETS
from models.kernels import PresetParams, make_preset
from tests.conftest import app_at

PAGE = "pages/kernels/page.py"


def _page(query: dict | None = None):
    at = app_at(PAGE, query=query)
    assert not at.exception, at.exception
    return at


def _shown(element) -> str:
    """An element's text as the student reads it (components.layout.plain escapes Markdown with backslashes)."""
    return element.value.replace("\\", "")


def _sum_marker(at) -> tuple[float, float]:
    for md in at.markdown:
        m = re.search(r'data-sum="([-\d.e]+)" data-value="([-\d.e]+)"', md.value)
        if m:
            return float(m.group(1)), float(m.group(2))
    raise AssertionError("no inspector sum on the page")


def _component(at, name: str) -> dict:
    """The data a custom component was sent on the last run."""
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == name]
    return json.loads(element.proto.json)


def _trusted_html(at, key: str) -> str:
    """The markup a components.trusted_html element was sent on the last run."""
    (element,) = [e for e in at.get("bidi_component")
                  if e.proto.component_name == "convlab_trusted_html" and e.proto.id.endswith(key)]
    return json.loads(element.proto.json)["html"]


def _picker(at) -> dict:
    """What the clickable image pair was sent: image URLs, sizes, chosen pixel, labels."""
    return _component(at, "convlab_pixel_picker")


def _grid(at) -> np.ndarray:
    """The kernel the weights grid shows (NaN where a cell holds no number)."""
    return np.array(_component(at, "convlab_kernel_grid")["values"], dtype=float)


def _type_cells(at, edits: dict) -> None:
    """What the grid sends when cells are typed into: {"r,c": text} for the kernel it currently shows."""
    sig = _component(at, "convlab_kernel_grid")["sig"]
    at.session_state[state.KERN_GRID] = {"edits": {"sig": sig, "edits": edits}}


def _ok(at):
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def at():
    return _page()


def test_default_page_shows_sobel_output_and_formula(at):
    np.testing.assert_array_equal(_grid(at), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    text = " ".join(m.value for m in at.markdown)
    assert "floor((300 + 2·1 − 1·(3−1) − 1) / 1) + 1 = floor(299/1) + 1 = 300" in text
    assert "floor((451 + 2·1 − 1·(3−1) − 1) / 1) + 1 = floor(450/1) + 1 = 451" in text
    picker = _picker(at)
    assert (picker["in_h"], picker["in_w"], picker["out_h"], picker["out_w"]) == (300, 451, 300, 451)
    assert picker["in_src"].endswith(".jpg") and picker["out_src"].endswith(".jpg")
    panels = _trusted_html(at, "kern_panels")
    assert 'data-testid="kern-panels"' in panels and "Histogram of output values" in panels
    assert any("learned conv1 #0" == o for o in at.selectbox(key=state.KERN_PRESET).options)


def test_every_preset_renders_its_kernel():
    at = _page()
    for name in ALL_PRESETS:
        if name == "custom":
            continue
        at.selectbox(key=state.KERN_PRESET).set_value(name)
        _ok(at)
        if not name.startswith("learned"):
            np.testing.assert_allclose(_grid(at), make_preset(name, PresetParams())[0], rtol=1e-4, atol=1e-6)
    assert not at.error


def test_sized_presets_sizes_and_parameters():
    at = _page()
    at.selectbox(key=state.KERN_PRESET).set_value("gaussian")
    _ok(at)
    for size in (1, 5, 7, 9, 11):
        at.segmented_control(key=state.KERN_SIZE).set_value(size)
        _ok(at)
        assert _grid(at).shape == (size, size)
    at.slider(key=state.KERN_SIGMA).set_value(2.5)
    _ok(at)
    np.testing.assert_allclose(_grid(at), make_preset("gaussian", PresetParams(11, 2.5))[0], rtol=1e-4, atol=1e-7)
    at.selectbox(key=state.KERN_PRESET).set_value("motion blur")
    _ok(at)
    at.slider(key=state.KERN_LENGTH).set_value(7)
    at.slider(key=state.KERN_ANGLE).set_value(45)
    _ok(at)
    assert np.count_nonzero(_grid(at)) == 7
    at.selectbox(key=state.KERN_PRESET).set_value("random")
    _ok(at)
    at.number_input(key=state.KERN_SEED).set_value(5)
    _ok(at)
    weight, bias = make_preset("random", PresetParams(11, seed=5))
    np.testing.assert_allclose(_grid(at), weight, rtol=1e-3)
    assert at.number_input(key=state.KERN_BIAS).value == pytest.approx(bias, abs=1e-6)


def test_cell_edit_changes_the_inspected_pixel(at):
    _type_cells(at, {"1,1": "7"})
    at.number_input(key=state.KERN_ROW).set_value(101)  # shown 1-based: row 101 is index 100
    at.number_input(key=state.KERN_COL).set_value(201)
    _ok(at)
    kernel = np.array([[-1, 0, 1], [-2, 7, 2], [-1, 0, 1]], dtype=float)
    np.testing.assert_array_equal(_grid(at), kernel)
    plane = to_gray(load_sample("cat").rgb)
    expected = inspect_pixel(plane, kernel, ConvSettings("zeros"), 100, 200)
    total, value = _sum_marker(at)
    assert total == pytest.approx(expected.total, abs=1e-5) and value == pytest.approx(expected.value, abs=1e-5)
    assert value == pytest.approx(float(convolve(plane, kernel, ConvSettings())[100, 200]), abs=1e-4)


def test_every_convolution_control():
    at = _page()
    plane = to_gray(load_sample("cat").rgb)
    sobel = make_preset("sobel x", PresetParams())[0]
    at.number_input(key=state.KERN_ROW).set_value(21)
    at.number_input(key=state.KERN_COL).set_value(31)
    for padding in ("valid", "reflect", "replicate", "circular", "zeros"):
        for stride in (1, 4):
            for dilation in (1, 3):
                at.selectbox(key=state.KERN_PADDING).set_value(padding)
                at.segmented_control(key=state.KERN_STRIDE).set_value(stride)
                at.segmented_control(key=state.KERN_DILATION).set_value(dilation)
                at.toggle(key=state.KERN_FLIP).set_value(stride == 4)
                at.number_input(key=state.KERN_BIAS).set_value(0.25)
                _ok(at)
                s = ConvSettings(padding, stride, dilation, stride == 4, 0.25)
                expected = inspect_pixel(plane, sobel, s, 20, 30)
                assert _sum_marker(at)[1] == pytest.approx(expected.value, abs=1e-5), (padding, stride, dilation)
    for view in ("clipped", "absolute", "stretch", "diverging", "auto"):
        at.radio(key=state.KERN_VIEW).set_value(view)
        _ok(at)
    at.toggle(key=state.KERN_MAGNITUDE).set_value(True)
    _ok(at)
    assert any("gy" in m.value for m in at.markdown)
    at.toggle(key=state.KERN_NORMALISE).set_value(True)
    _ok(at)
    assert any("sum to 0" in _shown(i) for i in at.info)
    assert any("Cross-correlation vs convolution" in m.value for m in at.markdown)


def test_rgb_depthwise_and_channel_pick():
    at = _page()
    at.segmented_control(key=state.KERN_COLOUR).set_value("rgb")
    _ok(at)
    at.number_input(key=state.KERN_ROW).set_value(51)
    at.number_input(key=state.KERN_COL).set_value(61)
    rgb = load_sample("cat").rgb
    sobel = make_preset("sobel x", PresetParams())[0]
    for i, channel in enumerate(("green", "blue", "red")):
        at.segmented_control(key=state.KERN_CHANNEL).set_value(channel)
        _ok(at)
        expected = inspect_pixel(rgb[..., (1, 2, 0)[i]], sobel, ConvSettings(), 50, 60)
        assert _sum_marker(at)[0] == pytest.approx(expected.total, abs=1e-5)


def _apply_text(at, text: str):
    at.text_area(key=state.KERN_TEXT).set_value(text)
    at.button[[b.label for b in at.button].index("Apply text")].click()
    return _ok(at)


def test_typed_bad_kernels_give_messages_not_tracebacks():
    at = _page()
    _apply_text(at, "0 0 0\n0 nan 0\n0 0 0")
    assert any("not a number" in _shown(e) for e in at.error)
    _apply_text(at, "0 0 0\n0 inf 0\n0 0 0")
    assert any("infinite" in _shown(e) for e in at.error)
    _apply_text(at, "1e30 0 0\n0 1 0\n0 0 1")
    assert any("1e+30, outside the allowed range" in _shown(e) for e in at.error)
    _apply_text(at, "0 0 0\n0 0 0\n0 0 0")
    assert any("black" in _shown(w) for w in at.warning)
    _apply_text(at, "1 2\n3")
    assert any("square" in _shown(e) for e in at.error)
    _apply_text(at, "1 2 3 4\n1 2 3 4\n1 2 3 4\n1 2 3 4")
    assert any("odd" in _shown(e) for e in at.error)
    _apply_text(at, "0 1 0\n1 -4 1\n0 1 0")
    assert at.selectbox(key=state.KERN_PRESET).value == "custom"
    np.testing.assert_array_equal(_grid(at), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])


def test_kernel_larger_than_padded_image_on_the_digit():
    at = _page()
    at.selectbox(key=state.KERN_SAMPLE).set_value("digit")
    at.selectbox(key=state.KERN_PRESET).set_value("box blur")
    _ok(at)
    at.segmented_control(key=state.KERN_SIZE).set_value(11)
    at.segmented_control(key=state.KERN_DILATION).set_value(3)
    at.selectbox(key=state.KERN_PADDING).set_value("valid")
    _ok(at)
    assert any("padded image is only 28 + 2·0 = 28" in _shown(e) for e in at.error)


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


BAD_UPLOADS = [
    ("corrupt.png", _encode(Image.new("RGB", (50, 50)), "PNG")[:60], "damaged|not an image"),
    ("notes.png", b"this is not an image", "not an image"),
    ("bomb.png", _encode(Image.new("1", (8000, 6000)), "PNG"), "megapixels"),
    ("dot.png", _encode(Image.new("RGB", (1, 1)), "PNG"), "too small"),
]
ODD_UPLOADS = [
    ("deep.png", _encode(Image.fromarray(np.full((20, 20), 40000, np.uint16)), "PNG"), "16-bit"),
    ("print.jpg", _encode(Image.new("CMYK", (20, 20), (0, 255, 0, 0)), "JPEG"), "CMYK"),
    ("palette.png", _encode(Image.new("P", (20, 20)), "PNG"), None),
    ("alpha.png", _encode(Image.new("RGBA", (20, 20), (255, 0, 0, 0)), "PNG"), "Transparent"),
]


@pytest.mark.parametrize("name,data,match", BAD_UPLOADS, ids=[u[0] for u in BAD_UPLOADS])
def test_bad_uploads_are_explained(name, data, match):
    at = _page()
    at.segmented_control(key=f"{state.KERN_IMAGE}_source").set_value("Upload")
    _ok(at)
    at.file_uploader(key=f"{state.KERN_IMAGE}_upload").upload(name, data, "image/png")
    _ok(at)
    assert any(re.search(match, e.value) for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize("name,data,match", ODD_UPLOADS, ids=[u[0] for u in ODD_UPLOADS])
def test_unusual_images_are_converted_and_convolved(name, data, match):
    at = _page()
    at.segmented_control(key=f"{state.KERN_IMAGE}_source").set_value("Upload")
    _ok(at)
    at.file_uploader(key=f"{state.KERN_IMAGE}_upload").upload(name, data, "image/png")
    _ok(at)
    assert not at.error
    assert match is None or any(match in _shown(c) for c in at.caption)
    assert _picker(at)["in_label"].startswith("Input (20×20)")
    assert _picker(at)["out_src"].endswith(".bmp")  # enlarged 24x: sent exact, not as JPEG


def test_url_restores_state_and_flags_malformed_parameters():
    at = _page({"preset": "gaussian", "size": "5", "sigma": "2", "pad": "reflect", "stride": "2", "dil": "2",
                "flip": "1", "view": "absolute", "bias": "0.5", "colour": "rgb", "image": "coffee", "row": "3",
                "col": "4", "ch": "2", "stride_typo": "x", "k": "1,2;3", "norm": "maybe"})
    assert at.selectbox(key=state.KERN_PRESET).value == "gaussian"
    assert at.segmented_control(key=state.KERN_STRIDE).value == 2
    assert at.selectbox(key=state.KERN_PADDING).value == "reflect"
    assert at.segmented_control(key=state.KERN_CHANNEL).value == "blue"
    assert at.number_input(key=state.KERN_ROW).value == 3
    np.testing.assert_allclose(_grid(at), make_preset("gaussian", PresetParams(5, 2.0))[0], rtol=1e-4)
    warnings = [w.value for w in at.warning]
    assert any("k=" in w for w in warnings) and any("norm=" in w for w in warnings)
    assert at.query_params["pad"] in ("reflect", ["reflect"])


def test_url_custom_kernel_round_trip():
    at = _page({"k": "0,1,0;1,-4,1;0,1,0", "pad": "circular"})
    assert at.selectbox(key=state.KERN_PRESET).value == "custom"
    np.testing.assert_array_equal(_grid(at), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    k = at.query_params["k"]
    assert (k[0] if isinstance(k, list) else k) == "0,1,0;1,-4,1;0,1,0"


@pytest.mark.slow
def test_explore_tabs_controls():
    at = _page()
    at.slider(key=state.KERN_ANIM_CROP).set_value(6)
    at.slider(key=state.KERN_ANIM_TOP).set_value(1)  # 1-based: the top row of the image
    at.slider(key=state.KERN_ANIM_LEFT).set_value(1)
    _ok(at)
    anim = _component(at, "convlab_sliding_window")
    plane = to_gray(load_sample("cat").rgb).astype(np.float64)[:6, :6]
    sobel = make_preset("sobel x", PresetParams())[0]
    expected = convolve(plane.astype(np.float32), sobel, ConvSettings())
    assert len(anim["tops"]) == 36 and np.array(anim["padded"]).shape == (8, 8)  # 6x6 crop + 1 cell of zeros
    np.testing.assert_allclose(anim["out"], expected, atol=1e-3)
    assert anim["sums"][-1].endswith(f"= {expected[5, 5]:.4f}")
    assert (anim["tops"][7], anim["lefts"][7]) == (1, 1)  # step 8: output row 2, column 2; window from cell (1, 1)
    assert not at.get("select_slider") or all(s.key != state.KERN_GAUSS_SIZE for s in at.select_slider)  # only the chosen part
    at.session_state[state.KERN_EXPLORE_TAB] = "gauss"
    _ok(at)
    assert all(s.key != state.KERN_ANIM_CROP for s in at.slider)  # the other parts are not built
    at.select_slider(key=state.KERN_GAUSS_SIZE).set_value(9)
    at.slider(key=state.KERN_GAUSS_SIGMA).set_value(2.0)
    _ok(at)
    at.button[[b.label for b in at.button].index("Use this Gaussian in the kernel designer")].click()
    _ok(at)
    assert at.selectbox(key=state.KERN_PRESET).value == "gaussian"
    assert _grid(at).shape == (9, 9)
    at.session_state[state.KERN_EXPLORE_TAB] = "noise"
    _ok(at)
    at.radio(key=state.KERN_NOISE_KIND).set_value("gaussian")
    at.slider(key=state.KERN_NOISE_AMOUNT).set_value(0.2)
    at.select_slider(key=state.KERN_NOISE_SIZE).set_value(5)
    for kind in ("min", "max", "median"):
        at.radio(key=state.KERN_NOISE_FILTER).set_value(kind)
        _ok(at)
    assert not at.get("download_button")  # the export is built only when asked for
    at.toggle(key=state.KERN_SHOW_EXPORT).set_value(True)
    _ok(at)
    assert len(at.get("download_button")) == 3
    assert any("F.conv2d" in _shown(c) for c in at.code)


def test_a_click_on_the_output_selects_that_pixel():
    """The picker reports {row, col, t}; the page shows that pixel's arithmetic and sends the box back."""
    at = _page()
    at.session_state[state.KERN_CLICK] = {"pick": {"row": 140, "col": 300, "t": 12345}}
    _ok(at)
    picker = _picker(at)
    assert (picker["row"], picker["col"], picker["t"]) == (140, 300, 12345)
    total, _ = _sum_marker(at)
    gray = to_gray(load_sample("cat").rgb).astype(np.float64)
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)
    expected = float((np.pad(gray, 1)[140:143, 300:303] * sobel).sum())  # zero padding, cross-correlation
    assert total == pytest.approx(expected, abs=1e-4)
    assert any("output row 141, column 301" in h.value for h in at.header)  # shown 1-based


def test_a_typo_in_a_cell_is_named_and_the_grid_keeps_it():
    at = _page()
    _type_cells(at, {"0,2": "1.5", "2,0": "abc"})
    _ok(at)
    grid = _grid(at)
    assert grid[0, 2] == 1.5 and np.isnan(grid[2, 0])
    assert any("row 3" in e.value and "column 1" in _shown(e) for e in at.error), [e.value for e in at.error]
    assert _component(at, "convlab_kernel_grid")["edits"] == {"0,2": "1.5", "2,0": "abc"}
    at.selectbox(key=state.KERN_PRESET).set_value("laplacian 4")
    _ok(at)  # a new starting kernel drops the old edits
    np.testing.assert_array_equal(_grid(at), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    assert not at.error
