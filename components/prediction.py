"""The answer: the top class in very large type, an honest sentence about it, and all 10 probabilities as bars.

Plain HTML (no plotly) so it redraws in a millisecond while you draw. `data-testid="digit-prediction"`
with `data-label` (the network's pick, "" when there is nothing to classify) and `data-kind`
("confident", "unsure" or "not_a_digit") is what the browser tests read.
"""

import html
from dataclasses import dataclass

import numpy as np
import streamlit as st

from components.theme import CATEGORICAL, projector

_CSS = """
<style>
.dp-box { font-family: inherit; color: #000; }
.dp-top { font-size: %(big)s; font-weight: 800; line-height: 1; }
.dp-top.dim { color: #555; }
.dp-sub { font-size: %(sub)s; margin: 0.2rem 0 0.6rem 0; }
.dp-flag { display: inline-block; background: #E69F00; color: #000; font-weight: 700;
           padding: 0.1rem 0.5rem; border-radius: 4px; }
.dp-row { display: flex; align-items: center; gap: 0.4rem; margin: 2px 0; font-size: %(row)s; }
.dp-row .d { width: 1.2em; text-align: right; font-weight: 700; }
.dp-row .bar { flex: 1; background: #eee; height: %(bar)s; border-radius: 3px; overflow: hidden; min-width: 3em; }
.dp-row .fill { height: 100%%; background: %(fill)s; }
.dp-row.top .fill { background: %(top)s; }
.dp-row .p { width: 3.8em; text-align: right; font-variant-numeric: tabular-nums; }
.dp-prompt { font-size: %(sub)s; padding: 1rem; border: 3px dashed #888; border-radius: 8px; }
</style>
"""


@dataclass(frozen=True)
class Answer:
    """What the page tells the student about one input (plain values; the maths is done in models/)."""
    probs: np.ndarray  # (10,) probabilities shown as bars
    top: int
    second: int
    kind: str  # "confident", "unsure" or "not_a_digit"
    message: str  # one plain sentence for a student
    truth: int | None = None  # the true label, for test-set digits
    prob: float | None = None  # the confidence to state (calibrated); None: probs[top]


def _css() -> str:
    on = projector()
    return _CSS % {"big": "8rem" if on else "6.5rem", "sub": "1.4rem" if on else "1.1rem",
                   "row": "1.25rem" if on else "0.95rem", "bar": "1.1rem" if on else "0.8rem",
                   "fill": CATEGORICAL[0], "top": CATEGORICAL[3]}


def _headline(a: Answer) -> str:
    p_top = 100 * float(a.probs[a.top] if a.prob is None else a.prob)
    p_second = 100 * float(a.probs[a.second])
    message = html.escape(a.message)
    if a.kind == "not_a_digit":
        return (f'<div class="dp-top dim" aria-label="no digit recognised">?</div>'
                f'<div class="dp-sub"><span class="dp-flag">not a digit?</span> {message} '
                f'(Its forced pick would be <b>{a.top}</b>.)</div>')
    flag = '<span class="dp-flag">not sure</span> ' if a.kind == "unsure" else ""
    return (f'<div class="dp-top{" dim" if a.kind == "unsure" else ""}" aria-label="prediction {a.top}">{a.top}</div>'
            f'<div class="dp-sub">{flag}{html.escape(f"{p_top:.0f}% sure")} · second guess '
            f'<b>{a.second}</b> ({p_second:.0f}%)' + (f'<br>{message}' if a.kind == "unsure" else "") + '</div>')


def prediction(answer: Answer | None, version: int = 0, prompt: str = "") -> None:
    """Render the prediction block; answer None shows the prompt to draw (or `prompt`, plain text)."""
    if answer is None:
        text = html.escape(prompt) if prompt else ("✍️ <b>Draw a digit</b> (0–9) in the box, as large as you like. "
                                                   "The network answers while you draw.")
        st.html(_css() + f'<div class="dp-box" data-testid="digit-prediction" data-label="" data-kind="" '
                f'data-version="{version}"><div class="dp-prompt">{text}</div></div>')
        return
    truth_line = ""
    if answer.truth is not None:
        mark = "✓ correct" if answer.truth == answer.top else "✗ wrong"
        truth_line = f'<div class="dp-sub">True label: <b>{answer.truth}</b> ({mark})</div>'
    rows = "".join(
        f'<div class="dp-row{" top" if d == answer.top else ""}"><span class="d">{d}</span>'
        f'<span class="bar"><span class="fill" style="display:block;width:{100 * float(p):.1f}%"></span></span>'
        f'<span class="p">{100 * float(p):.1f}%</span></div>'
        for d, p in enumerate(answer.probs))
    st.html(
        _css()
        + f'<div class="dp-box" data-testid="digit-prediction" data-label="{answer.top}" '
        f'data-kind="{html.escape(answer.kind)}" data-version="{version}">'
        f'{_headline(answer)}{truth_line}'
        f'<div role="img" aria-label="probability of each digit">{rows}</div></div>')
