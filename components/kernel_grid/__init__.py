"""Kernel weights editor (st.components.v2): a k x k grid of text cells coloured like the heatmaps.

Lighter than st.data_editor (a plain table, no canvas grid), so an edit reaches the output faster, and
legible on a projector. Only edited cells come back, as text; the page parses them, so a typo becomes
NaN and an on-page message rather than a lost edit.
"""

import math
from pathlib import Path

import numpy as np
import streamlit as st

from components.theme import DIVERGING, projector

_HERE = Path(__file__).parent
_PALETTE = [[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in DIVERGING]

_component = st.components.v2.component(
    "convlab_kernel_grid",
    html=(_HERE / "grid.html").read_text(),
    css=(_HERE / "grid.css").read_text(),
    js=(_HERE / "grid.js").read_text(),
)


def parse_cell(text: str) -> float:
    """A typed cell as a float; NaN when it is not a finite number (the page says which cell)."""
    try:
        value = float(str(text).strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


MAX_CELL_CHARS = 40  # a weight needs far fewer; longer text is refused with a message


def apply_edits(base: np.ndarray, edits: dict) -> tuple[np.ndarray, dict, list[tuple[int, int]]]:
    """base (k,k) + {"r,c": text} -> (kernel (k,k) float64 with NaN for unreadable cells, the edits kept,
    the 0-based (row, col) of cells whose text was longer than MAX_CELL_CHARS (NaN in the kernel))."""
    kernel = np.array(base, dtype=np.float64)
    kept, too_long = {}, []
    k = kernel.shape[0]
    for key, text in edits.items():
        try:
            r, c = (int(x) for x in str(key).split(","))
        except ValueError:
            continue
        if not (0 <= r < k and 0 <= c < k and isinstance(text, str)):
            continue
        if len(text) > MAX_CELL_CHARS:
            kernel[r, c] = math.nan
            too_long.append((r, c))
            continue
        kernel[r, c] = parse_cell(text)
        kept[f"{r},{c}"] = text
    return kernel, kept, sorted(too_long)


def grid_value(key: str, base: np.ndarray, sig: str) -> tuple[np.ndarray, dict, list[tuple[int, int]]]:
    """What the grid `key` holds, read without drawing it: apply_edits of this browser's edits to `base`.

    sig identifies the starting kernel: when it changes, earlier edits are dropped.
    """
    current = st.session_state.get(key)
    sent = (current or {}).get("edits") if isinstance(current, dict) else None
    edits = sent.get("edits", {}) if isinstance(sent, dict) and sent.get("sig") == sig else {}
    return apply_edits(base, edits if isinstance(edits, dict) else {})


def kernel_grid(key: str, base: np.ndarray, sig: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Show `base` (k,k) for editing; return (it with this browser's edits applied, float64, NaN = unreadable;
    the 0-based (row, col) of cells refused for being longer than MAX_CELL_CHARS).

    sig identifies the starting kernel: when it changes, earlier edits are dropped.
    """
    kernel, edits, too_long = grid_value(key, base, sig)
    values = [[None if math.isnan(v) else float(v) for v in row] for row in kernel]
    _component(key=key, data={"values": values, "sig": sig, "edits": edits, "palette": _PALETTE,
                              "projector": projector()},
               default={"edits": None}, on_edits_change=lambda: None, width="stretch")
    return kernel, too_long
