"""Drawing on the Digits page with a real mouse, and waiting for the page to answer.

Used by tests/e2e/test_digits_e2e.py and benchmarks/scenarios/digits.py.
"""

import numpy as np

LAYERS = ("conv1", "pool1", "conv2", "pool2", "fc1", "logits")

# JS: find elements through the shadow roots the v2 components live in.
DEEP = """(sel) => { const out = []; const walk = (root) => {
  root.querySelectorAll(sel).forEach((e) => out.push(e));
  root.querySelectorAll('*').forEach((e) => { if (e.shadowRoot) walk(e.shadowRoot); }); };
  walk(document); return out; }"""

STATE_JS = f"""() => {{ const deep = {DEEP};
  const canvas = deep('[data-testid=digit-canvas]')[0];
  const pred = document.querySelector('[data-testid=digit-prediction]');
  const grids = deep('.bd-fig').map((g) => [g.dataset.layer, g.dataset.version]);
  return {{ seq: canvas ? canvas.dataset.seq : null, label: pred ? pred.dataset.label : null,
           kind: pred ? pred.dataset.kind : null, version: pred ? pred.dataset.version : null, grids }}; }}"""

# True once the prediction AND every feature-map grid show the canvas's latest drawing.
SETTLED_JS = f"""(layers) => {{ const s = ({STATE_JS})();
  if (!s.seq || s.version !== s.seq) return false;
  if (s.label === '') return true;
  const have = Object.fromEntries(s.grids);
  return layers.every((l) => have[l] === s.seq); }}"""


def canvas_box(page):
    page.wait_for_selector('[data-testid="digit-canvas"] canvas', timeout=30_000)
    return page.locator('[data-testid="digit-canvas"] canvas').bounding_box()


def draw(page, strokes, steps: int = 6, pause_ms: int = 0) -> None:
    """strokes: lists of (x, y) in 0..1 canvas fractions; drawn with the mouse, pen-up after each."""
    box = canvas_box(page)
    inner = box["width"] - 6  # 3 px border each side
    for line in strokes:
        x, y = line[0]
        page.mouse.move(box["x"] + 3 + x * inner, box["y"] + 3 + y * inner)
        page.mouse.down()
        for x, y in line[1:]:
            page.mouse.move(box["x"] + 3 + x * inner, box["y"] + 3 + y * inner, steps=steps)
            if pause_ms:
                page.wait_for_timeout(pause_ms)
        page.mouse.up()


def draw_canvas_pixels(page, strokes, size: float = 280, steps: int = 1) -> None:
    """Strokes in canvas pixels of a `size` px canvas (as models.unipen.gallery() stores them), drawn with the mouse."""
    draw(page, [[(x / size, y / size) for x, y in line] for line in strokes], steps=steps)


def choose_model(page, label: str) -> None:
    """Click the model selector's button called `label` and wait for the page to answer with that model."""
    page.locator('[data-testid="stRadio"] label', has_text=label).first.click()
    page.wait_for_timeout(50)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def state(page) -> dict:
    return page.evaluate(STATE_JS)


def wait_settled(page, timeout: float = 15_000) -> dict:
    page.wait_for_function(SETTLED_JS, arg=list(LAYERS), timeout=timeout, polling="raf")
    return state(page)


def click_tool(page, name: str) -> None:
    page.locator(f'[data-testid="digit-canvas"] button[data-act="{name}"]').click()


def trace_strokes(image: np.ndarray, threshold: int = 100) -> list[list[tuple[float, float]]]:
    """A 28x28 MNIST digit -> pen strokes along its 1-px skeleton, as canvas fractions (greedy walk)."""
    from models.canvas import skeletonize

    skel = skeletonize((image > threshold)[None])[0]
    left = {(int(r), int(c)) for r, c in zip(*np.nonzero(skel), strict=True)}

    def neighbours(p):
        return [(p[0] + dr, p[1] + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                if (dr or dc) and (p[0] + dr, p[1] + dc) in left]

    strokes = []
    while left:
        ends = [p for p in left if len(neighbours(p)) == 1]
        p = min(ends) if ends else min(left)
        path = [p]
        left.discard(p)
        while True:
            nxt = neighbours(p)
            if not nxt:
                break
            p = min(nxt, key=lambda q: abs(q[0] - p[0]) + abs(q[1] - p[1]))
            left.discard(p)
            path.append(p)
        if len(path) >= 2:
            strokes.append([((c + 0.5) / 28, (r + 0.5) / 28) for r, c in path])
    return strokes


def render_strokes(strokes, width: float = 20, size: int = 280) -> np.ndarray:
    """What the browser canvas would send for these strokes: black round-capped ink on white."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (size, size), 255)
    draw_ = ImageDraw.Draw(img)
    for line in strokes:
        pts = [(x * size, y * size) for x, y in line]
        draw_.line(pts, fill=0, width=int(width), joint="curve")
        for x, y in pts:
            draw_.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=0)
    return np.asarray(img)
