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


class StackError(ValueError):
    """A layer stack that cannot work; the message is written for a student."""


def _whole(value, what: str, row: int, low: int) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise StackError(f"Layer {row}: the {what} must be a number, got {value!r}.") from None
    if not math.isfinite(number) or number != int(number) or number < low:
        raise StackError(f"Layer {row}: the {what} must be a whole number of at least {low}, got {value}.")
    return int(number)


def parse_stack(rows: list[dict], n: int) -> list[WindowLayer]:
    """Validate the edited rows against an n x n input and name the layers conv1, pool1, ..."""
    if not rows:
        raise StackError("The stack is empty; add at least one layer.")
    if len(rows) > MAX_LAYERS:
        raise StackError(f"Keep the stack to {MAX_LAYERS} layers or fewer (got {len(rows)}).")
    counts = {"conv": 0, "pool": 0}
    layers, size = [], n
    for i, row in enumerate(rows, start=1):
        kind = str(row.get("kind") or "").strip().lower()
        if kind not in KINDS:
            raise StackError(f"Layer {i}: the kind must be 'conv' or 'pool', got {row.get('kind')!r}.")
        k, s, p = (_whole(row.get("k"), "kernel", i, 1), _whole(row.get("s"), "stride", i, 1),
                   _whole(row.get("p"), "padding", i, 0))
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
    return UnitField(field_span(info, row, n), field_span(info, col, n), info.rf)


__all__ = ["DIGIT_CNN", "StackError", "UnitField", "field_origin", "parse_stack", "receptive_fields", "unit_field"]
