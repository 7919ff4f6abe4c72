"""Hostile input on the Pooling page: typed grid cells, layer stacks, uploaded files, clicks reported by the
browser and URL query values. Every one ends in a result or a clear message, never an exception, within
bounded time and memory.

The bulk goes straight through the functions the page calls on that input (models.grid_sources.parse_grid
then the analysis, models.receptive_stack.parse_stack then the fields, models.images.load_image then the
image levels, receptive_field.picked_unit); a few dozen go through the whole page in AppTest.
"""

import io
import math
import time

import numpy as np
import psutil
import pytest
from PIL import Image

from app.pages.pooling import state
from app.pages.pooling.receptive_field import picked_unit
from models.grid_sources import GridError, parse_grid
from models.images import ImageError, load_image
from models.pool_gradient import gradient_map
from models.pool_images import PoolImageError, level_views
from models.pooling import PoolingError, PoolSpec, analyse
from models.receptive_stack import StackError, parse_stack, receptive_fields, unit_field
from tests.conftest import app_at

pytestmark = pytest.mark.slow

MAX_EXTRA_MB = 500
MAX_SECONDS_EACH = 5.0
NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}

HOSTILE_TEXT = [
    "[Log in here](http://198.51.100.7/login)", "![t](http://198.51.100.7/t.png)", "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>", "NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "1e400", "-1e400", "1e-400",
    "9" * 5000, "1" * 25, "0x1F", "1_000", "１２", "٣", "1e", "e5", "--1", "1..2", "1,2,3", " ", "\t\n", "\x00",
    "\u202e123", "😀", "1e308", "-1e308", "1000001", "-1000000", "1e6", "0.000001", "2,5", "−3", "+4", "  7  ",
    "None", "null", "true", "[]", "{}", "%s%s%s", "${7*7}", "{{7*7}}", "'; DROP TABLE x; --", "\\", "`code`",
]


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _random_cell(rng):
    pick = rng.integers(0, 9)
    if pick == 0:
        return HOSTILE_TEXT[int(rng.integers(len(HOSTILE_TEXT)))]
    if pick == 1:
        return float(rng.choice([math.nan, math.inf, -math.inf, 1e300, -0.0]))
    if pick == 2:
        return int(rng.integers(-10**9, 10**9)) * int(rng.choice([1, 10**12]))
    if pick == 3:
        return "".join(chr(int(c)) for c in rng.integers(0, 0x2FFF, int(rng.integers(0, 40))))
    if pick == 4:
        return [None, True, b"1", {"a": 1}, [1], object()][int(rng.integers(6))]
    if pick == 5:
        return f"{rng.normal(0, 10 ** rng.uniform(-3, 9)):.{int(rng.integers(0, 20))}g}"
    return str(int(rng.integers(-9, 100)))


def hostile_grids(n: int, seed: int = 0):
    """Typed grids: mostly the right shape with some hostile cells, plus wrong shapes and non-lists."""
    rng = np.random.default_rng(seed)
    yield "not a list", "1 2 3"
    yield "ragged", [["1"] * 5, ["1"] * 4, ["1"] * 5, ["1"] * 5]
    yield "too big", [["1"] * 2000] * 2000
    yield "deep", [[[[["1"]]]] * 4] * 4
    yield "empty rows", [[]] * 4
    for i in range(n - 5):
        side_h, side_w = (int(rng.integers(1, 20)), int(rng.integers(1, 20))) if i % 5 == 0 else (8, 8)
        grid = [[str(int(v)) for v in rng.integers(0, 10, side_w)] for _ in range(side_h)]
        for _ in range(int(rng.integers(0, 4))):
            grid[int(rng.integers(side_h))][int(rng.integers(side_w))] = _random_cell(rng)
        yield f"random {i}", grid


def _check_grid(cells) -> str:
    """What the page does with typed cells: parse, then the analysis and the gradient for the default settings."""
    try:
        x = parse_grid(cells)
    except GridError as exc:
        return str(exc)
    assert x.dtype == np.float64 and np.isfinite(x).all() and np.abs(x).max() <= 1e6
    for spec in (PoolSpec("max", 2, 2), PoolSpec("mean", 3, 1, 1), PoolSpec("lp", 2, 2)):
        try:
            values, _, _, _ = analyse(x, spec)
            gradient_map(x, spec, None)
        except PoolingError as exc:
            return str(exc)
        assert np.isfinite(values).all()
    return ""


def test_typed_grids_end_in_a_grid_or_a_message():
    start, worst = _rss_mb(), 0.0
    for name, cells in hostile_grids(600):
        t0 = time.process_time()
        message = _check_grid(cells)
        worst = max(worst, time.process_time() - t0)
        if message:
            assert len(message) < 400 and "Traceback" not in message, (name, message)
    assert worst < MAX_SECONDS_EACH, worst
    assert _rss_mb() - start < MAX_EXTRA_MB


def hostile_stacks(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    values = [math.nan, math.inf, -1, 0, 1, 2, 3, 7, 15, 16, 10**9, 10**5000, "1e400", "NaN", "3", " 2 ", "", None,
              True, 2.5, -0.0, "[x](http://198.51.100.7)", [3], {"k": 3}, "9" * 5000]
    kinds = ["conv", "pool", "Conv ", "POOL", "dense", "", None, 3, "![t](http://198.51.100.7/t.png)", ["conv"]]
    yield "not a list", "conv"
    yield "100 rows", [{"kind": "conv", "k": 1, "s": 1, "p": 0}] * 100
    yield "rows not dicts", ["conv", 3, None]
    for i in range(n - 3):
        rows = []
        for _ in range(int(rng.integers(0, 12))):
            row = {"kind": kinds[int(rng.integers(len(kinds)))] if rng.random() < 0.05 else str(rng.choice(["conv", "pool"]))}
            for key in ("k", "s", "p"):
                low = 0 if key == "p" else 1
                row[key] = values[int(rng.integers(len(values)))] if rng.random() < 0.04 else int(rng.integers(low, 4))
            if rng.random() < 0.05:
                row.pop("k")
            rows.append(row)
        n_in = int(rng.choice([8, 28, 64])) if rng.random() < 0.9 else values[int(rng.integers(len(values)))]
        yield f"random {i}", rows, n_in


def test_layer_stacks_end_in_fields_or_a_message():
    start, worst, worked = _rss_mb(), 0.0, 0
    for name, rows, *n_in in hostile_stacks(500):
        n = n_in[0] if n_in else 28
        t0 = time.process_time()
        try:
            layers = parse_stack(rows, n)
        except StackError as exc:
            assert len(str(exc)) < 300, (name, str(exc))
            continue
        finally:
            worst = max(worst, time.process_time() - t0)
        table = receptive_fields(n, layers)
        for layer in range(1, len(table)):
            size = table[layer].size
            assert 1 <= size <= 300, (name, size)  # the layer picture stays small
            field = unit_field(table, layer, size - 1, 0, n)
            assert 0 <= field.rows[0] <= field.rows[1] <= n and 0 <= field.cols[0] <= field.cols[1] <= n
        worked += 1
    assert worked > 40  # the generator also makes stacks that work
    assert worst < MAX_SECONDS_EACH, worst
    assert _rss_mb() - start < MAX_EXTRA_MB


def hostile_files(n: int, seed: int = 2):
    rng = np.random.default_rng(seed)

    def encoded(arr, fmt):
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, format=fmt)
        return buf.getvalue()

    png = encoded(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8), "PNG")
    yield "empty", b""
    yield "text", b"this is not really a picture"
    yield "truncated png", png[: len(png) // 2]
    yield "png header only", png[:40]
    yield "1x1", encoded(np.zeros((1, 1), np.uint8), "PNG")
    yield "3x5000", encoded(np.zeros((3, 5000), np.uint8), "PNG")
    yield "bomb header", png[:16] + (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big") + png[24:]
    yield "html", b"<html><script>alert(1)</script></html>"
    for i in range(n - 8):
        kind = i % 4
        if kind == 0:
            yield f"noise bytes {i}", rng.integers(0, 256, int(rng.integers(1, 5000)), dtype=np.uint8).tobytes()
        elif kind == 1:
            data = bytearray(png)
            for _ in range(int(rng.integers(1, 20))):
                data[int(rng.integers(len(data)))] = int(rng.integers(256))
            yield f"flipped png {i}", bytes(data)
        else:
            h, w = int(rng.integers(1, 400)), int(rng.integers(1, 400))
            arr = rng.integers(0, 256, (h, w, 3) if kind == 2 else (h, w), dtype=np.uint8)
            yield f"{w}x{h} {'jpeg' if kind == 2 else 'gif'} {i}", encoded(arr, "JPEG" if kind == 2 else "GIF")


def test_uploads_end_in_levels_or_a_message():
    """The image part's path: decode the upload, then pool it (levels 1-4, windows 2-4, every variant)."""
    rng = np.random.default_rng(3)
    start, worst, pooled = _rss_mb(), 0.0, 0
    for name, data in hostile_files(160):
        t0 = time.process_time()
        try:
            image = load_image(data, name=name)
            shown = level_views(image.rgb, int(rng.integers(1, 5)), int(rng.integers(2, 5)),
                                str(rng.choice(["clean", "gaussian", "salt_pepper", "sparse"])), float(rng.random() / 2))
            assert all(np.isfinite(pic).all() for *_, pic in shown)
            pooled += 1
        except (ImageError, PoolImageError) as exc:
            assert str(exc) and len(str(exc)) < 400, name
        worst = max(worst, time.process_time() - t0)
    assert pooled > 10
    assert worst < MAX_SECONDS_EACH, worst
    assert _rss_mb() - start < MAX_EXTRA_MB


def test_clicks_reported_by_the_browser_are_clamped_or_ignored():
    rng = np.random.default_rng(4)
    odd = [None, "x", math.nan, math.inf, -math.inf, 10**400, -(10**9), 2**63, "7", 3.9, True, [1], {}]
    picks = [None, "click", [], {"row": 1}, {"row": 1, "col": 2}] + [
        {key: (odd[int(rng.integers(len(odd)))] if rng.random() < 0.4 else int(rng.integers(-50, 50)))
         for key in ("row", "col", "t") if rng.random() < 0.95} for _ in range(400)]
    for pick in picks:
        size = int(rng.integers(1, 80))
        got = picked_unit(pick, size)
        assert got is None or (1 <= got[0] <= size and 1 <= got[1] <= size and isinstance(got[2], int)), (pick, got)


# A few dozen through the whole page: hostile typed cells, stacks and URL query values.

def _page_ok(at) -> None:
    assert not at.exception, at.exception[0].value if at.exception else ""
    for element in [*at.error, *at.warning, *at.markdown, *at.caption]:  # user text never becomes a link or image
        assert "](http" not in element.value.replace("\\]\\(", ""), element.value


def test_hostile_cells_through_the_page():
    at = app_at("pages/pooling/page.py")
    at.selectbox(key=state.POOL_SOURCE).set_value("typed").run()
    key = f"{state.POOL_TYPED}_8_{at.session_state[state.POOL_SEED]}"
    start = _rss_mb()
    for i, text in enumerate(HOSTILE_TEXT[:30]):
        at.session_state[key] = {**NO_EDITS, "edited_rows": {i % 8: {str(i % 8 + 1): text}}}
        at.run()
        _page_ok(at)
    assert _rss_mb() - start < MAX_EXTRA_MB


@pytest.mark.parametrize("name,value", [("markdown link kind", "[Log in here](http://198.51.100.7/login)"),
                                        ("remote image kind", "![t](http://198.51.100.7/t.png)")])
def test_markdown_in_a_layer_kind_is_shown_as_text(name, value):
    at = app_at("pages/pooling/page.py")
    at.segmented_control(key=state.POOL_SECTION).set_value("rf").run()
    at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "edited_rows": {0: {"kind": value}}}
    at.run()
    _page_ok(at)
    assert at.error and "\\]\\(http" in at.error[0].value  # escaped: Markdown shows the brackets, makes no link


def test_hostile_stacks_through_the_page():
    at = app_at("pages/pooling/page.py")
    at.segmented_control(key=state.POOL_SECTION).set_value("rf").run()
    for i, (_, rows, *_) in zip(range(20), hostile_stacks(40, seed=9), strict=False):
        rows = rows if isinstance(rows, list) else []
        added = [r if isinstance(r, dict) else {} for r in rows[:12]]
        added = [{k: (v if isinstance(v, int | float | str | type(None)) else str(v)) for k, v in r.items()} for r in added]
        at.session_state[state.POOL_RF_STACK] = {**NO_EDITS, "added_rows": added}
        at.run()
        _page_ok(at)
        assert i >= 0


QUERIES = [{"projector": "1"}, {"projector": "[x](http://198.51.100.7)"}, {"pool_kernel": "1e400"},
           {"pool_mode": "<script>alert(1)</script>"}, {"section": "rf", "pool_size": "NaN"},
           {"preset": "![t](http://198.51.100.7/t.png)"}, {"pool_step": "9" * 5000}, {"x" * 300: "y" * 10000}]


@pytest.mark.parametrize("query", QUERIES, ids=[f"query{i}" for i in range(len(QUERIES))])
def test_url_query_values_are_ignored_or_validated(query):
    """The Pooling page reads no query value of its own: any link opens the default page, no exception."""
    at = app_at("pages/pooling/page.py", query=query)
    _page_ok(at)
    assert at.session_state[state.POOL_KERNEL] == 2 and at.session_state[state.POOL_MODE] == "max"
