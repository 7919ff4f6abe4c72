"""The answer: the top class in very large type, the second guess, and all 10 probabilities as bars.

Plain HTML (no plotly) so it redraws in a millisecond while you draw. `data-testid="digit-prediction"`
and its `data-label` attribute ("" when there is nothing to classify) are what the browser tests read.
"""

import html

import numpy as np
import streamlit as st

from components.theme import CATEGORICAL

_CSS = """
<style>
.dp-box { font-family: inherit; }
.dp-top { font-size: %(big)s; font-weight: 800; line-height: 1; }
.dp-sub { font-size: %(sub)s; margin: 0.2rem 0 0.6rem 0; }
.dp-unsure { display: inline-block; background: #E69F00; color: #000; font-weight: 700;
             padding: 0.1rem 0.5rem; border-radius: 4px; }
.dp-row { display: flex; align-items: center; gap: 0.4rem; margin: 2px 0; font-size: %(row)s; }
.dp-row .d { width: 1.2em; text-align: right; font-weight: 700; }
.dp-row .bar { flex: 1; background: #eee; height: %(bar)s; border-radius: 3px; overflow: hidden; }
.dp-row .fill { height: 100%%; background: %(fill)s; }
.dp-row.top .fill { background: %(top)s; }
.dp-row .p { width: 3.6em; text-align: right; font-variant-numeric: tabular-nums; }
.dp-prompt { font-size: %(sub)s; padding: 1rem; border: 3px dashed #888; border-radius: 8px; }
</style>
"""


def _css(projector: bool) -> str:
    return _CSS % {"big": "9rem" if projector else "7rem", "sub": "1.4rem" if projector else "1.15rem",
                   "row": "1.1rem" if projector else "0.95rem", "bar": "1.1rem" if projector else "0.8rem",
                   "fill": CATEGORICAL[0], "top": CATEGORICAL[3]}


def prediction(probs: np.ndarray | None, top: int | None, second: int | None, sure: bool,
               projector: bool, truth: int | None = None, version: int = 0) -> None:
    """Render the prediction block; probs None means "nothing drawn yet"."""
    if probs is None or top is None:
        st.html(_css(projector) + f'<div class="dp-box" data-testid="digit-prediction" data-label="" data-version="{version}">'
                '<div class="dp-prompt">✍️ <b>Draw a digit</b> (0–9) in the box, as large as you like. '
                'The network answers while you draw.</div></div>')
        return
    p_top, p_second = float(probs[top]), float(probs[second])
    unsure = "" if sure else '<span class="dp-unsure">not sure</span> '
    truth_line = ""
    if truth is not None:
        mark = "✓ correct" if truth == top else "✗ wrong"
        truth_line = f'<div class="dp-sub">True label: <b>{truth}</b> ({mark})</div>'
    rows = "".join(
        f'<div class="dp-row{" top" if d == top else ""}"><span class="d">{d}</span>'
        f'<span class="bar"><span class="fill" style="display:block;width:{100 * float(p):.1f}%"></span></span>'
        f'<span class="p">{100 * float(p):.1f}%</span></div>'
        for d, p in enumerate(probs))
    st.html(
        _css(projector)
        + f'<div class="dp-box" data-testid="digit-prediction" data-label="{top}" data-sure="{int(sure)}" data-version="{version}">'
        f'<div class="dp-top" aria-label="prediction {top}">{top}</div>'
        f'<div class="dp-sub">{unsure}{html.escape(f"{100 * p_top:.0f}% sure")} · second guess '
        f'<b>{second}</b> ({100 * p_second:.0f}%)</div>{truth_line}'
        f'<div role="img" aria-label="probability of each digit">{rows}</div></div>')
