"""The random grid: many outcomes of the whole pipeline, each with the parameters its random steps drew.
One HTML element for the whole grid (components.transform_cards)."""

import streamlit as st

from components.theme import projector
from components.transform_cards import grid, img_tag, memo_html, text

SIDE, SIDE_PROJECTOR = 192, 288


def outcome_card(o, side: int) -> str:
    """o: models.pipeline.Outcome -> its card: seed, picture (or why it failed), what every random step drew."""
    head = f'<div class="tfv-title"><strong>seed {o.seed}</strong></div>'
    if o.problem:
        return head + f'<div class="tfv-err">{text(o.problem)}</div>'
    lines = [f"<div><b>{text(name)}</b>: {text(drawn)}</div>" for name, drawn in o.sampled]
    caption = "".join(lines) or "<div><i>no random step: every outcome is the same</i></div>"
    return head + img_tag(o.view, side, f"outcome for seed {o.seed}") + f'<div class="tfv-cap">{caption}</div>'


def render_outcomes(outcomes, per_row: int) -> None:
    """outcomes: list of models.pipeline.Outcome."""
    side = SIDE_PROJECTOR if projector() else SIDE
    st.html(memo_html(outcomes, ("grid", per_row),
                      lambda: grid([outcome_card(o, side) for o in outcomes], per_row, "tf-outcomes")))
