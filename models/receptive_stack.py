"""An editable stack of conv and pool layers, and the input region one unit of it sees.

Builds on models.geometry (receptive_fields, field_span). Rows come from a table a student edits:
dicts with keys kind ('conv' or 'pool'), k, s, p. Sizes are per axis (square layers).
"""

import math
from dataclasses import dataclass

from models.geometry import FieldRow, WindowLayer, field_span, receptive_fields

DIGIT_CNN = (
    {"kind": "conv", "k": 3, "s": 1, "p": 0},
    {"kind": "pool", "k": 2, "s": 2, "p": 0},
    {"kind": "conv", "k": 3, "s": 1, "p": 0},
    {"kind": "pool", "k": 2, "s": 2, "p": 0},
)
KINDS = ("conv", "pool")
MAX_LAYERS = 10
MIN_N, MAX_N = 8, 64  # input side
LIMITS = {"k": (1, 15), "s": (1, 6), "p": (0, 7)}  # the editor's column limits, checked again here
WHAT = {"k": "kernel", "s": "stride", "p": "padding"}


class StackError(ValueError):
    """A layer stack that cannot work; the message is written for a student."""


def _shown(value) -> str:
    """A value for a message: short, printable (a cell may hold anything a client sends)."""
    try:
        text = "".join(ch for ch in str(value) if ch.isprintable())
    except ValueError:  # an integer too long to print
        return "a number with thousands of digits"
    return text[:24] + ("…" if len(text) > 24 else "")


def _whole(value, key: str, row: int) -> int:
    low, high = LIMITS[key]
    what = WHAT[key]
    if value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value)):
        raise StackError(f"Layer {row}: the {what} is empty; type a whole number from {low} to {high}.")
    try:
        if isinstance(value, bool) or (isinstance(value, str) and len(value) > 24):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number) or number != int(number) or not low <= number <= high:
        raise StackError(f"Layer {row}: the {what} must be a whole number from {low} to {high}, got “{_shown(value)}”.")
    return int(number)


def parse_stack(rows: list[dict], n: int) -> list[WindowLayer]:
    """Validate the edited rows (dicts kind, k, s, p) against an n x n input and name the layers conv1, pool1, ...

    Every value is checked as data: the kind one of KINDS, numbers whole and within LIMITS, n within
    MIN_N..MAX_N, at most MAX_LAYERS rows, and every window fitting the input it gets."""
    if isinstance(n, bool) or not isinstance(n, int) or not MIN_N <= n <= MAX_N:
        raise StackError(f"The input size must be a whole number from {MIN_N} to {MAX_N}, got “{_shown(n)}”.")
    if not isinstance(rows, list | tuple) or not rows:
        raise StackError("The stack is empty; add at least one layer.")
    if len(rows) > MAX_LAYERS:
        raise StackError(f"Keep the stack to {MAX_LAYERS} layers or fewer (got {len(rows)}).")
    counts = {"conv": 0, "pool": 0}
    layers, size = [], n
    for i, row in enumerate(rows, start=1):
        row = row if isinstance(row, dict) else {}
        kind = row.get("kind")
        kind = kind.strip().lower() if isinstance(kind, str) else ""
        if kind not in KINDS:
            raise StackError(f"Layer {i}: the kind must be 'conv' or 'pool', got “{_shown(row.get('kind'))}”.")
        k, s, p = (_whole(row.get(key), key, i) for key in ("k", "s", "p"))
        if kind == "pool" and p > k // 2:
            raise StackError(f"Layer {i}: pooling padding {p} is more than half the {k}x{k} window.")
        if k > size + 2 * p:
            raise StackError(f"Layer {i}: the {k}x{k} window does not fit in the {size}x{size} input it gets"
                             f"{f' ({size + 2 * p}x{size + 2 * p} with padding)' if p else ''}.")
        counts[kind] += 1
        layer = WindowLayer(f"{kind}{counts[kind]}", k, s, p)
        size = receptive_fields(size, [layer])[-1].size
        layers.append(layer)
    return layers


@dataclass(frozen=True)
class UnitField:
    rows: tuple[int, int]  # [lo, hi) input rows seen, clipped to the input
    cols: tuple[int, int]
    full: int  # receptive field size before clipping

    @property
    def empty(self) -> bool:
        """The unit's window falls wholly on padding: it sees no input pixel."""
        return self.rows[0] == self.rows[1] or self.cols[0] == self.cols[1]

    @property
    def clipped(self) -> bool:
        return self.rows[1] - self.rows[0] < self.full or self.cols[1] - self.cols[0] < self.full


def field_origin(info: FieldRow) -> int:
    """First input pixel (unclipped, may be negative) seen by unit 0 of a layer; unit i's field starts
    i * jump later and is rf pixels long, so a picture can outline any unit's field from these three numbers."""
    return math.floor(info.start - (info.rf - 1) / 2 + 1e-9)


def unit_field(table: list[FieldRow], layer: int, row: int, col: int, n: int) -> UnitField:
    """Input region seen by unit (row, col) in table[layer] (0 = the input itself)."""
    info = table[layer]
    if not (0 <= row < info.size and 0 <= col < info.size):
        raise StackError(f"{info.name} is {info.size}x{info.size}; unit ({row}, {col}) does not exist.")
    return UnitField(_inside(field_span(info, row, n), n), _inside(field_span(info, col, n), n), info.rf)


def _inside(span: tuple[int, int], n: int) -> tuple[int, int]:
    """[lo, hi) cut to the input [0, n); empty (lo == hi) for a unit whose window sees only padding."""
    lo = min(max(span[0], 0), n)
    return lo, min(max(span[1], lo), n)


__all__ = ["DIGIT_CNN", "StackError", "UnitField", "field_origin", "parse_stack", "receptive_fields", "unit_field"]
