"""Real pen-written digits (UNIPEN) drawn the way the Digits page's canvas draws them.

Data: `<data root>/unipen-digits/digits.jsonl.gz` (see its README), one digit per line with
`label`, `writer` and `strokes` (lists of [x, y] points, y down, in each contributor's own units).
The data root is the CONVLAB_DATA environment variable, else `../shared/data` beside the repository.

The page's canvas (components/digit_canvas/canvas.js) paints black polylines on a white 280x280
canvas with round caps and round joins, pen width 6..40 px (a one-point stroke is a dot of that
width). `render_strokes` paints the same geometry: every pixel whose centre lies within width/2 of
the polyline is ink, with a one-pixel anti-aliased edge. Training images take the same path as a
drawing on the page: place on the canvas -> render_strokes -> prepare_digit -> 28x28.
"""

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.preprocess import prepare_digit

ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "CONVLAB_DATA"
UNIPEN_FILE = Path("unipen-digits") / "digits.jsonl.gz"  # relative to the data root
GALLERY_FILE = ROOT / "assets" / "digits" / "pen_gallery.json.gz"
CANVAS = 280
PEN_WIDTHS = (6.0, 40.0)  # the page's pen-width slider
DEFAULT_PEN = 20.0

# Writer-disjoint validation writers, exactly the list in the UNIPEN README (never trained on).
VALIDATION_WRITERS = frozenset("""
aga/amywldrp aga/lzbthwht aga/nikkshmn apa/DavidSinger apa/IanFelix apb/Cyndi_Iwata
apb/Janice_Hoctor apb/Janis_Bernardo apb/Laura_Holloway apb/Norman_Franklin apb/Todd_Sachs apb/textJohnStenickaSplit
app/ChristineStellina app/DaveMeek app/KirkGould art/writer01 cea/ra3198 ceb/gb2911
ced/DDJH4871 ced/HRTS4205 ced/JIKA4257 ced/JNPK7049 ced/JTKR3293 ced/NNWE7032
ced/RIGI0287 ced/SIBI4900 gmd/alek gmd/monu ibm/r01-13 ibm/r02-11
ibm/r02-15 ibm/r04-04 ibm/r04-08 imp/baker imp/leaver imp/patel
imp/payne imp/rabeau imp/rila imp/roberts syn/sjb-dig20 syn/zc
syn/zor-dig22 tos/1007 tos/1020 tos/1050 tos/1051 tos/1053
tos/1057 tos/2032 tos/2051 tos/2064 tos/3026 tos/3042
tos/3073 uqb/re_3828
""".split())


class UnipenError(ValueError):
    """The UNIPEN file is missing or malformed, or strokes cannot be drawn."""


@dataclass(frozen=True)
class PenDigit:
    label: int
    writer: str
    strokes: tuple[np.ndarray, ...]  # each (K,2) float64 (x, y), y down, contributor units


def data_root(root: Path | str | None = None) -> Path:
    """The data root: `root` if given, else $CONVLAB_DATA, else ../shared/data beside the repository."""
    if root is not None:
        return Path(root)
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else ROOT.parent / "shared" / "data"


def available(root: Path | str | None = None) -> bool:
    return (data_root(root) / UNIPEN_FILE).is_file()


def load(root: Path | str | None = None) -> list[PenDigit]:
    """Every digit of digits.jsonl.gz, in file order."""
    path = data_root(root) / UNIPEN_FILE
    if not path.is_file():
        raise UnipenError(f"UNIPEN digits not found: expected {UNIPEN_FILE} under the data root {data_root(root)} "
                          f"(set {DATA_ENV} or pass --data-root)")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                row = json.loads(line)
                strokes = tuple(np.asarray(s, np.float64).reshape(-1, 2) for s in row["strokes"] if len(s))
                label = int(row["label"])
            except (ValueError, KeyError, TypeError) as exc:
                raise UnipenError(f"{UNIPEN_FILE} line {n} is malformed ({type(exc).__name__})") from exc
            if not strokes or not 0 <= label <= 9:
                raise UnipenError(f"{UNIPEN_FILE} line {n}: no strokes or label {label} out of 0..9")
            out.append(PenDigit(label, str(row["writer"]), strokes))
    return out


def writer_hash(writer: str, salt: str = "unipen-digits:") -> str:
    return hashlib.sha1((salt + writer).encode()).hexdigest()


def split(digits: list[PenDigit]) -> tuple[list[PenDigit], list[PenDigit]]:
    """(train, validation) by writer, validation = VALIDATION_WRITERS."""
    return ([d for d in digits if d.writer not in VALIDATION_WRITERS],
            [d for d in digits if d.writer in VALIDATION_WRITERS])


def holdout_split(train: list[PenDigit], share: float = 0.15) -> tuple[list[PenDigit], list[PenDigit]]:
    """Split TRAIN writers again into (fit, held out) by writer: within each contributor, writers sorted by
    sha1("convlab-holdout:" + writer) go to the held-out part while it holds under `share` of that
    contributor's digits. The held-out writers calibrate confidence and pick settings; the reported
    validation writers are never used for either."""
    by_source: dict[str, dict[str, int]] = {}
    for d in train:
        counts = by_source.setdefault(d.writer.split("/")[0], {})
        counts[d.writer] = counts.get(d.writer, 0) + 1
    held: set[str] = set()
    for counts in by_source.values():
        total, taken = sum(counts.values()), 0
        for w in sorted(counts, key=lambda w: writer_hash(w, "convlab-holdout:")):
            if taken / total >= share or len(counts) < 3:
                break
            if (taken + counts[w]) / total <= 2 * share:
                held.add(w)
                taken += counts[w]
    return [d for d in train if d.writer not in held], [d for d in train if d.writer in held]


def normalise(strokes) -> list[np.ndarray]:
    """Strokes in any units -> float64 strokes whose bounding box's longer side is 1, centred on (0, 0)."""
    pts = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in strokes])
    lo, hi = pts.min(0), pts.max(0)
    scale = max(float((hi - lo).max()), 1e-9)
    centre = (lo + hi) / 2
    return [(np.asarray(s, np.float64).reshape(-1, 2) - centre) / scale for s in strokes]


def place(strokes, rng: np.random.Generator, size=(100.0, 250.0), widths=PEN_WIDTHS, tilt: float = 8.0,
          shear: float = 0.15, aspect: float = 0.12) -> tuple[list[np.ndarray], float]:
    """Normalised strokes -> (strokes in 280x280 canvas px, pen width) as a person might draw them:
    random size (longer side, px), pen width (half near the slider's default, half anywhere in its range),
    a small tilt/shear/aspect change, and a random position that keeps the ink on the canvas."""
    angle = np.deg2rad(rng.uniform(-tilt, tilt))
    a = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    a = a @ np.array([[1.0, rng.uniform(-shear, shear)], [0.0, 1.0]])
    a = a @ np.diag([np.exp(rng.uniform(-aspect, aspect)), 1.0])
    moved = [s @ a.T for s in normalise(strokes)]
    if rng.random() < 0.5:
        width = float(rng.uniform(14.0, 26.0))
    else:
        width = float(np.exp(rng.uniform(np.log(widths[0]), np.log(widths[1]))))
    pts = np.concatenate(moved)
    extent = max(float((pts.max(0) - pts.min(0)).max()), 1e-9)
    longest = min(float(rng.uniform(*size)), CANVAS - width - 4)
    scaled = [s * (longest / extent) for s in moved]
    pts = np.concatenate(scaled)
    lo, hi = pts.min(0) - width / 2, pts.max(0) + width / 2
    room_lo, room_hi = -lo, CANVAS - hi  # allowed shifts keeping the ink on the canvas
    shift = np.array([rng.uniform(room_lo[i], max(room_lo[i], room_hi[i])) for i in range(2)])
    return [s + shift for s in scaled], width


FLAG_LENGTH = (0.25, 0.6)  # of the digit's height
FLAG_ANGLE = (10.0, 50.0)  # degrees below the horizontal


def with_long_flag(strokes, rng: np.random.Generator) -> list[np.ndarray]:
    """A 1 redrawn in the continental style: its first stroke now starts with a long straight flag, coming up
    from the lower left into the stroke's highest point, then goes down the body as written.

    Strokes -> normalised strokes (see normalise). The flag is FLAG_LENGTH of the height long at FLAG_ANGLE
    below the horizontal; it replaces any flag the writer drew. Real 1s of this style (long flag, narrow
    body) were read as 7 by a model that had only seen short-flagged 1s (UNIPEN validation writers)."""
    s = normalise(strokes)
    first = s[0]
    top = int(np.argmin(first[:, 1]))
    after, before = first[top:], first[:top + 1][::-1]
    body = after if len(after) >= len(before) else before  # a 1 written upwards has its body before the top
    height = float(np.ptp(np.concatenate(s)[:, 1]))
    length, angle = rng.uniform(*FLAG_LENGTH) * height, np.deg2rad(rng.uniform(*FLAG_ANGLE))
    start = first[top] + np.array([-length * np.cos(angle), length * np.sin(angle)])
    flag = np.linspace(start, first[top], 6)
    return [np.concatenate([flag[:-1], body]), *s[1:]]


def long_flag_ones(digits: list[PenDigit], copies: int, seed: int) -> list[PenDigit]:
    """`copies` continental-style versions (with_long_flag) of every 1 in `digits`, seeded."""
    rng = np.random.default_rng([seed, 1])
    return [PenDigit(1, d.writer, tuple(with_long_flag(d.strokes, rng)))
            for _ in range(copies) for d in digits if d.label == 1]


def centred(strokes, longest: float = 200.0) -> list[np.ndarray]:
    """Normalised strokes -> canvas px with the longer side `longest`, centred on the 280x280 canvas."""
    return [s * longest + CANVAS / 2 for s in normalise(strokes)]


def _segment_distance(dist: np.ndarray, a: np.ndarray, b: np.ndarray, reach: float) -> None:
    """dist (H,W) <- min(dist, distance from each pixel centre to segment a-b), within `reach` px of it."""
    h, w = dist.shape
    x0 = max(int(np.floor(min(a[0], b[0]) - reach)), 0)
    x1 = min(int(np.ceil(max(a[0], b[0]) + reach)) + 1, w)
    y0 = max(int(np.floor(min(a[1], b[1]) - reach)), 0)
    y1 = min(int(np.ceil(max(a[1], b[1]) + reach)) + 1, h)
    if x1 <= x0 or y1 <= y0:
        return
    px = np.arange(x0, x1, dtype=np.float64)[None, :] + 0.5 - a[0]
    py = np.arange(y0, y1, dtype=np.float64)[:, None] + 0.5 - a[1]
    d = b - a
    length2 = float(d @ d)
    t = np.clip((px * d[0] + py * d[1]) / length2, 0.0, 1.0) if length2 > 0 else 0.0
    window = np.sqrt((px - t * d[0]) ** 2 + (py - t * d[1]) ** 2)
    np.minimum(dist[y0:y1, x0:x1], window, out=dist[y0:y1, x0:x1])


def ink_coverage(strokes, pen_width: float, size: int = CANVAS) -> np.ndarray:
    """Strokes in 280-px canvas coordinates -> ink coverage (size,size) float32 in [0,1] (size != 280 scales
    the strokes and the pen like the page's larger canvas)."""
    if not np.isfinite(pen_width) or pen_width <= 0:
        raise UnipenError(f"pen width must be a positive number, got {pen_width}")
    k = size / CANVAS
    radius = pen_width * k / 2
    dist = np.full((size, size), np.inf)
    for stroke in strokes:
        pts = np.asarray(stroke, np.float64).reshape(-1, 2) * k
        if not np.isfinite(pts).all():
            raise UnipenError("stroke coordinates must be finite numbers")
        if len(pts) == 1:
            pts = np.concatenate([pts, pts + [0.01 * k, 0.0]])  # canvas.js draws a dot this way
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            _segment_distance(dist, a, b, radius + 1.0)
    return np.clip(radius + 0.5 - dist, 0.0, 1.0).astype(np.float32)


def render_strokes(strokes, pen_width: float = DEFAULT_PEN, size: int = CANVAS) -> np.ndarray:
    """Strokes in 280-px canvas coordinates -> (size,size) uint8, black ink on white, like the page's canvas."""
    return np.rint(255.0 * (1.0 - ink_coverage(strokes, pen_width, size))).astype(np.uint8)


def to_mnist(strokes, pen_width: float, size: int = CANVAS) -> np.ndarray:
    """Canvas strokes -> the 28x28 uint8 (white ink on black) prepare_digit makes of the drawing."""
    return prepare_digit(render_strokes(strokes, pen_width, size)).stages["centred"]


def _render_items(items: list[tuple[tuple[np.ndarray, ...], list[int]]]) -> np.ndarray:
    """[(strokes, rng seed)] -> (N,28,28) uint8: each digit placed with its own seeded rng, then drawn."""
    out = []
    for strokes, seed in items:
        placed, width = place(strokes, np.random.default_rng(seed))
        out.append(to_mnist(placed, width))
    return np.stack(out) if out else np.zeros((0, 28, 28), np.uint8)


def rendered_set(digits: list[PenDigit], seed: int, copies: int = 1,
                 workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Each digit placed `copies` times at random and drawn through prepare_digit
    -> (images (N,28,28) uint8, labels (N,) int64), N = copies * len(digits), copy-major order.
    Digit i of copy c is placed with rng seed [seed, c, i], so the result does not depend on `workers`
    (processes drawing in parallel)."""
    items = [(d.strokes, [seed, c, i]) for c in range(copies) for i, d in enumerate(digits)]
    labels = np.asarray([d.label for _ in range(copies) for d in digits], np.int64)
    if workers <= 1 or len(items) < 200:
        return _render_items(items), labels
    import multiprocessing

    chunks = [items[i:i + 500] for i in range(0, len(items), 500)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return np.concatenate(pool.map(_render_items, chunks)), labels


def canvas_set(digits: list[PenDigit], longest: float = 200.0, pen_width: float = DEFAULT_PEN) -> np.ndarray:
    """Each digit centred at a fixed size and pen width (the evaluation rendering) -> (N,28,28) uint8."""
    if not digits:
        return np.zeros((0, 28, 28), np.uint8)
    return np.stack([to_mnist(centred(d.strokes, longest), pen_width) for d in digits])


def build_gallery(root: Path | str | None = None, per_class: int = 30, seed: int = 0,
                  path: Path = GALLERY_FILE) -> int:
    """Write assets/digits/pen_gallery.json.gz: `per_class` digits per label from the VALIDATION writers,
    spread over as many writers as possible, strokes centred on the canvas (1 decimal). Returns the count."""
    _, val = split(load(root))
    rng = np.random.default_rng(seed)
    items = []
    for label in range(10):
        pool = [d for d in val if d.label == label]
        by_writer: dict[str, list[int]] = {}
        for i in rng.permutation(len(pool)):
            by_writer.setdefault(pool[i].writer, []).append(int(i))
        picks = []
        while len(picks) < per_class and any(by_writer.values()):
            for w in list(by_writer):
                if by_writer[w] and len(picks) < per_class:
                    picks.append(by_writer[w].pop(0))
        for i in picks:
            d = pool[i]
            strokes = [np.round(s, 1).tolist() for s in centred(d.strokes)]
            items.append({"label": label, "writer": d.writer, "strokes": strokes, "width": DEFAULT_PEN})
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump({"source": "UNIPEN train_r01_v07 category 1a, validation writers (CC BY 4.0); see assets/README.md",
                   "canvas": CANVAS, "digits": items}, f, separators=(",", ":"))
    return len(items)


def gallery(path: Path | str = GALLERY_FILE) -> list[dict]:
    """The shipped pen digits: dicts with label (int), writer (str), strokes (list of [[x, y], ...] in 280x280
    canvas px) and width (pen width px). Empty list when the file is missing."""
    path = Path(path)
    if not path.is_file():
        return []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            items = json.load(f)["digits"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnipenError(f"the pen gallery {path.name} is damaged ({type(exc).__name__})") from exc
    return [{"label": int(g["label"]), "writer": str(g["writer"]), "strokes": g["strokes"],
             "width": float(g.get("width", DEFAULT_PEN))} for g in items]
