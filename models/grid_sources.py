"""Small integer grids (H, W) for the pooling demo, and parsing of a grid typed by a student."""

import math

import numpy as np

SOURCES = ("random", "gradient", "checkerboard", "sparse", "image", "typed")
SOURCE_LABELS = {
    "random": "Random integers", "gradient": "Gradient", "checkerboard": "Checkerboard",
    "sparse": "Sparse peaks", "image": "Patch of a sample image", "typed": "Type your own values",
}
MIN_SIDE, MAX_SIDE = 4, 16


class GridError(ValueError):
    """A grid that cannot be used; the message names the cell in a student's terms."""


def _check_size(h: int, w: int) -> None:
    if not (MIN_SIDE <= h <= MAX_SIDE and MIN_SIDE <= w <= MAX_SIDE):
        raise GridError(f"The grid must be between {MIN_SIDE}x{MIN_SIDE} and {MAX_SIDE}x{MAX_SIDE}, got {h}x{w}.")


def random_ints(h: int, w: int, seed: int = 0, high: int = 9) -> np.ndarray:
    """(H, W) integers 0..high, reproducible from seed."""
    _check_size(h, w)
    return np.random.default_rng(seed).integers(0, high + 1, size=(h, w)).astype(np.float64)


def gradient(h: int, w: int) -> np.ndarray:
    """(H, W) ramp from 0 (top left) to 9 (bottom right)."""
    _check_size(h, w)
    r, c = np.mgrid[0:h, 0:w]
    return np.round(9 * (r + c) / (h + w - 2)).astype(np.float64)


def checkerboard(h: int, w: int, square: int = 1) -> np.ndarray:
    """(H, W) alternating 9 and 0 in squares of `square` cells."""
    _check_size(h, w)
    r, c = np.mgrid[0:h, 0:w]
    return np.where(((r // square) + (c // square)) % 2 == 0, 9.0, 0.0)


def sparse_peaks(h: int, w: int, seed: int = 0, fraction: float = 0.1) -> np.ndarray:
    """(H, W) zeros with about `fraction` of the cells set to peaks 5..9 (at least one)."""
    _check_size(h, w)
    rng = np.random.default_rng(seed)
    grid = np.zeros((h, w))
    count = max(1, round(fraction * h * w))
    idx = rng.choice(h * w, size=count, replace=False)
    grid.flat[idx] = rng.integers(5, 10, size=count)
    return grid


def image_patch(gray: np.ndarray, h: int, w: int) -> np.ndarray:
    """(H, W) integers 0..99 from a centred patch of a grayscale image (Hi, Wi) in [0, 1].

    The image is first block-averaged so the patch covers about a third of its shorter side,
    so the patch shows shapes (edges, strokes) rather than a flat area.
    """
    _check_size(h, w)
    gray = np.asarray(gray, dtype=np.float64)
    block = max(1, min(gray.shape) // (3 * max(h, w)))
    hi, wi = (gray.shape[0] // block) * block, (gray.shape[1] // block) * block
    small = gray[:hi, :wi].reshape(hi // block, block, wi // block, block).mean(axis=(1, 3))
    if small.shape[0] < h or small.shape[1] < w:
        raise GridError(f"The image ({gray.shape[1]}x{gray.shape[0]}) is too small for a {h}x{w} patch.")
    top, left = (small.shape[0] - h) // 2, (small.shape[1] - w) // 2
    return np.round(99 * small[top:top + h, left:left + w]).astype(np.float64)


def make_grid(source: str, h: int, w: int, seed: int = 0, gray: np.ndarray | None = None) -> np.ndarray:
    """A generated grid by source name (not 'typed')."""
    if source == "random":
        return random_ints(h, w, seed)
    if source == "gradient":
        return gradient(h, w)
    if source == "checkerboard":
        return checkerboard(h, w)
    if source == "sparse":
        return sparse_peaks(h, w, seed)
    if source == "image":
        if gray is None:
            raise GridError("Choose an image for the patch first.")
        return image_patch(gray, h, w)
    raise GridError(f"Unknown grid source {source!r}.")


MAX_CELL_CHARS = 24  # longer text is refused, not cut: no number a student types needs more
MAX_ABS = 1_000_000.0  # the same bound as models.pooling.MAX_ABS: every cell stays readable and sums exact


def _cell_text(cell) -> str:
    """A cell's text for a message: at most MAX_CELL_CHARS characters, control characters removed (shown as plain text)."""
    try:
        text = "".join(ch for ch in str(cell).strip() if ch.isprintable())
    except ValueError:  # an integer too long to print
        return "a number with thousands of digits"
    return text[:MAX_CELL_CHARS] + ("…" if len(text) > MAX_CELL_CHARS else "")


def parse_grid(cells: list[list]) -> np.ndarray:
    """Turn typed cells (rows of strings or numbers) into an (H, W) float grid, validated as data.

    Accepts '3', ' -2.5 ', '1e3' and a decimal comma ('2,5'). Raises GridError naming the first cell that is
    empty, not a number, not finite, outside ±MAX_ABS or longer than MAX_CELL_CHARS, and for a grid outside
    MIN_SIDE..MAX_SIDE per side or with rows of different lengths.
    """
    if not isinstance(cells, list | tuple) or not cells or not isinstance(cells[0], list | tuple) or not cells[0]:
        raise GridError("The grid is empty; it needs at least one row and one column.")
    width = len(cells[0])
    _check_size(len(cells), width)
    out = np.zeros((len(cells), width))
    for r, row in enumerate(cells):
        if not isinstance(row, list | tuple) or len(row) != width:
            raise GridError(f"Row {r + 1} has {len(row) if isinstance(row, list | tuple) else 0} cells but row 1 has "
                            f"{width}; every row needs the same length.")
        for c, cell in enumerate(row):
            out[r, c] = _cell_value(cell, r, c)
    return out


def _cell_value(cell, r: int, c: int) -> float:
    where = f"Cell (row {r + 1}, column {c + 1})"
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or (isinstance(cell, str) and not cell.strip()):
        raise GridError(f"{where} is empty; type a number into it.")
    if isinstance(cell, bool) or not isinstance(cell, str | int | float | np.integer | np.floating):
        raise _not_a_number(where, cell)
    if isinstance(cell, str):
        text = cell.strip().replace(",", ".").replace("−", "-")
        if len(text) > MAX_CELL_CHARS:
            raise GridError(f"{where} holds {len(text)} characters; a number needs at most {MAX_CELL_CHARS}.")
        if not text.isascii() or "_" in text:  # float() would take '１２' or '1_0'; a student means neither
            raise _not_a_number(where, cell)
        try:
            value = float(text)
        except ValueError:
            raise _not_a_number(where, cell) from None
    else:
        try:
            value = float(cell)
        except OverflowError:
            value = math.inf
    if not math.isfinite(value):
        raise GridError(f"{where} holds “{_cell_text(cell)}”, which is not a finite number. Type an ordinary number "
                        "such as 3, -2 or 0.5.")
    if abs(value) > MAX_ABS:
        raise GridError(f"{where} is {value:.3g}; keep values between −{MAX_ABS:,.0f} and {MAX_ABS:,.0f} so every "
                        "cell stays readable and sums stay exact.")
    return value


def _not_a_number(where: str, cell) -> GridError:
    return GridError(f"{where} holds “{_cell_text(cell)}”, which is not a number. Type digits such as 3, -2 or 0.5.")
