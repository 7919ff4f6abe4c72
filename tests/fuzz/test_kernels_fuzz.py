"""Hostile links and kernel cells on the Kernels page: every one ends in a usable state or a clear message,
never an exception, within bounded time and memory.

The bulk goes straight through the page's validated entry points (models.kernel_url.decode for every URL
parameter, components.kernel_grid.apply_edits + models.kernels.validate for grid cells, models.kernels.parse_text
for the text box); a few dozen whole links and cell edits go through the page in AppTest.
"""

import contextlib
import json
import math
import time

import numpy as np
import psutil
import pytest

from app.pages.kernels import state
from components.kernel_grid import MAX_CELL_CHARS, apply_edits
from models.convolution import DILATIONS, PADDINGS, STRIDES, ConvSettings
from models.images import SAMPLES
from models.kernel_url import _NAMES, ALL_PRESETS, COLOURS, VIEWS, KernelState, decode
from models.kernels import MAX_ABS, SIZES, AllZeroKernel, KernelError, check_bias, parse_text, validate
from tests.conftest import app_at

pytestmark = pytest.mark.slow

MAX_EXTRA_MB = 500
MAX_SECONDS_EACH = 5.0
PARAMS = sorted(set(_NAMES.values()))

NAMED = [
    "", " ", "NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "1e400", "-1e400", "1e-400", "9" * 5000,
    "-" + "9" * 5000, "0x10", "1_000", "١٢", "²", "½", "−3", "3.", ".5", "--1", "+-1", "1e", "e1", "0" * 3000,
    "[Log in here](http://198.51.100.7/login)", "![t](http://198.51.100.7/t.png)", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "javascript:alert(1)", "%00", "\x00", "\n\n# heading", "**bold**", "`code`",
    "a" * 100_000, "1;" * 10_000, ",".join(["1"] * 121), ";".join([",".join(["1"] * 11)] * 11),
    ";".join([",".join(["1e300"] * 3)] * 3), "1,2;3,4", "1", "1,nan,1;1,1,1;1,1,1", "[[1,2],[3,4]]", "{}", "null",
    "true", "True", "1.0", "-0", "0", "4097", "4096", "-1", "2147483648", "3.5", "11", "13", "1000.0001",
    "-1000.0001", "1000", "custom", "learned conv1 #99", "learned conv1 #-1", "sobel x ", "SOBEL X", "../../etc",
]


def hostile_values(n: int, seed: int = 0):
    """NAMED, then random strings: digits and signs, unicode, markup, very long, nested brackets."""
    rng = np.random.default_rng(seed)
    yield from NAMED
    alphabet = list("0123456789.,;-+eE xX_nanifINF()[]!<>*`#\\/:−") + ["\u202e", "\ufeff", "é", "🙂", "\x00"]
    for i in range(n):
        kind = i % 5
        if kind == 0:
            yield "".join(rng.choice(alphabet, rng.integers(1, 40)))
        elif kind == 1:
            yield f"{rng.choice([-1, 1]) * rng.random():.6f}e{int(rng.integers(-330, 330))}"
        elif kind == 2:
            yield str(int(rng.integers(-10**9, 10**9)))
        elif kind == 3:
            k = int(rng.integers(1, 14))
            yield ";".join(",".join(f"{v:.3g}" for v in rng.normal(0, 10 ** rng.uniform(0, 5), k)) for _ in range(k))
        else:
            yield "[" * int(rng.integers(1, 2000)) + "1" + "]" * int(rng.integers(0, 2000))


def _assert_valid(s: KernelState) -> None:
    """A decoded state is usable data: every field in its range (what the page relies on)."""
    assert s.colour in COLOURS and s.preset in ALL_PRESETS and s.padding in PADDINGS and s.view in VIEWS
    assert s.size in SIZES and s.stride in STRIDES and s.dilation in DILATIONS and 1 <= s.length <= 11
    assert math.isfinite(s.sigma) and 0.1 <= s.sigma <= 10 and math.isfinite(s.angle) and abs(s.angle) <= 180
    assert math.isfinite(s.bias) and abs(s.bias) <= MAX_ABS and 0 <= s.seed < 10**6
    assert 1 <= s.row <= 4096 and 1 <= s.col <= 4096 and s.channel in (0, 1, 2)
    assert isinstance(s.normalise, bool) and isinstance(s.flip, bool) and isinstance(s.magnitude, bool)
    assert s.image in SAMPLES
    if s.kernel is not None:
        with contextlib.suppress(AllZeroKernel):  # all zeros is allowed: the page warns and shows a flat output
            validate(np.array(s.kernel))  # finite, square, odd, in range
    ConvSettings(s.padding, s.stride, s.dilation, s.flip, check_bias(s.bias))


def test_every_url_parameter_with_hundreds_of_hostile_values():
    values = list(hostile_values(300))
    rss0 = psutil.Process().memory_info().rss
    count = 0
    for name in PARAMS:
        for raw in values:
            t0 = time.perf_counter()
            decoded, notices = decode({name: raw}, tuple(SAMPLES))
            assert time.perf_counter() - t0 < 0.5, (name, raw[:40])
            _assert_valid(decoded)
            assert all(isinstance(n, str) and len(n) < 400 for n in notices)
            count += 1
    all_at_once, _ = decode({name: values[i % len(values)] for i, name in enumerate(PARAMS)}, tuple(SAMPLES))
    _assert_valid(all_at_once)
    assert count >= 20 * len(NAMED)
    assert (psutil.Process().memory_info().rss - rss0) / 2**20 < MAX_EXTRA_MB


def test_kernel_cells_with_hundreds_of_hostile_texts():
    base = np.zeros((3, 3))
    for i, text in enumerate(hostile_values(400, seed=1)):
        kernel, kept, too_long = apply_edits(base, {f"{i % 3},{(i // 3) % 3}": text, "9,9": text, text[:5]: "1"})
        assert kernel.shape == (3, 3)
        assert (len(text) > MAX_CELL_CHARS) == bool(too_long)
        try:
            validate(kernel)
        except KernelError as exc:
            assert "row" in str(exc) or "0" in str(exc)


def test_typed_kernel_text_with_hundreds_of_hostile_texts():
    for text in hostile_values(400, seed=2):
        t0 = time.perf_counter()
        try:
            validate(parse_text(text))
        except KernelError as exc:
            assert str(exc)
        assert time.perf_counter() - t0 < 0.5


# --- the whole page: a few dozen links and cell edits through AppTest ---

PAGE = "pages/kernels/page.py"


def _random_links(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    values = list(hostile_values(200, seed=seed))
    for _ in range(n):
        names = rng.choice(PARAMS, int(rng.integers(1, 6)), replace=False)
        yield {str(p): values[int(rng.integers(len(values)))][:3000] for p in names}


def test_page_with_hostile_links_and_cells():
    rss0 = psutil.Process().memory_info().rss
    links = [{"preset": "[Log in here](http://198.51.100.7/login)"}, {"k": "1e400,1;1,1"}, {"row": "9" * 5000},
             {"bias": "NaN", "sigma": "Infinity"}, {"image": "![t](http://198.51.100.7/t.png)"}, *_random_links(20)]
    for query in links:
        t0 = time.perf_counter()
        at = app_at(PAGE, query=query)
        assert time.perf_counter() - t0 < MAX_SECONDS_EACH + 20, query  # AppTest startup included
        assert not at.exception, (query, at.exception)
        decoded, notices = decode(query, tuple(SAMPLES))
        assert len(at.warning) >= len(notices) > 0 or not notices, query
        for w in at.warning:
            assert "](" not in w.value
        grid = [e for e in at.get("bidi_component") if e.proto.component_name == "convlab_kernel_grid"][0]
        sig = json.loads(grid.proto.json)["sig"]
        k = len(json.loads(grid.proto.json)["values"])
        for text in ("1e400", "a" * 41, "[x](http://198.51.100.7)", "-1000.0001", "0.5"):
            at.session_state[state.KERN_GRID] = {"edits": {"sig": sig, "edits": {f"{k - 1},0": text}}}
            at.run()
            assert not at.exception, (query, text, at.exception)
            if text != "0.5":
                assert at.error, (query, text)
            assert all("](" not in e.value for e in at.error)
    assert (psutil.Process().memory_info().rss - rss0) / 2**20 < MAX_EXTRA_MB
