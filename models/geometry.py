"""Sliding-window geometry shared by convolution, pooling and whole layer stacks.

All sizes are integers in pixels. The formula is PyTorch's (Conv2d / MaxPool2d docs):
    out = floor((n + 2p - d(k-1) - 1) / s) + 1        (ceil instead of floor with ceil_mode)
and with ceil_mode PyTorch drops a last window that would start inside the right padding.
"""

import math
from dataclasses import dataclass


def output_size(n: int, k: int, p: int = 0, s: int = 1, d: int = 1, ceil_mode: bool = False) -> int:
    """Output length of a sliding window over n inputs, exactly as torch computes it.

    The result is <= 0 when the window does not fit; callers turn that into a message.
    """
    if min(k, s, d) < 1 or p < 0 or n < 0:
        raise ValueError(f"need k, s, d >= 1 and p, n >= 0 (got n={n}, k={k}, p={p}, s={s}, d={d})")
    span = n + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and out > 0 and (out - 1) * s >= n + p:
        out -= 1
    return out


def formula_text(n: int, k: int, p: int, s: int, d: int, ceil_mode: bool = False) -> str:
    """The output-size formula written out with the actual numbers, e.g. for a page caption."""
    rounding = "ceil" if ceil_mode else "floor"
    value = output_size(n, k, p, s, d, ceil_mode)
    return (f"{rounding}(({n} + 2·{p} − {d}·({k}−1) − 1) / {s}) + 1 = "
            f"{rounding}({n + 2 * p - d * (k - 1) - 1}/{s}) + 1 = {value}")


@dataclass(frozen=True)
class WindowLayer:
    """One sliding-window layer (conv or pool) for receptive-field bookkeeping."""
    name: str
    k: int
    s: int = 1
    p: int = 0
    d: int = 1


@dataclass(frozen=True)
class FieldRow:
    name: str
    size: int  # output size along one axis
    rf: int  # receptive field on the input, in input pixels
    jump: int  # distance on the input between neighbouring output units
    start: float  # input coordinate of the centre of output unit 0


def receptive_fields(n: int, layers: list[WindowLayer]) -> list[FieldRow]:
    """Receptive field, jump and size after each layer (Araujo et al., "Computing receptive fields").

    rf_out = rf_in + (k_eff - 1) * jump_in, jump_out = jump_in * s, k_eff = d(k-1)+1.
    The first row describes the input itself (rf 1, jump 1).
    """
    rows = [FieldRow("input", n, 1, 1, 0.0)]
    size, rf, jump, start = n, 1, 1, 0.0
    for layer in layers:
        k_eff = layer.d * (layer.k - 1) + 1
        size = output_size(size, layer.k, layer.p, layer.s, layer.d)
        rf = rf + (k_eff - 1) * jump
        start = start + ((k_eff - 1) / 2 - layer.p) * jump
        jump = jump * layer.s
        rows.append(FieldRow(layer.name, size, rf, jump, start))
    return rows


def field_span(row: FieldRow, index: int, n: int) -> tuple[int, int]:
    """Input pixel range [lo, hi) seen by output unit `index` of a layer, clipped to the input."""
    centre = row.start + index * row.jump
    lo = math.floor(centre - (row.rf - 1) / 2 + 1e-9)
    return max(0, lo), min(n, lo + row.rf)
