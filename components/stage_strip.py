"""The stage strip: the image after every step, labelled with type, shape, dtype and value range.

The whole strip is one HTML element (components.transform_cards), so a parameter change redraws one element."""

import streamlit as st

from components.layout import plain
from components.theme import projector
from components.transform_cards import grid, img_tag, memo_html, text

THUMB = 224  # longest displayed side; small images are enlarged with nearest-neighbour so pixels stay sharp
THUMB_PROJECTOR = 320  # the projector shows three stages a row, each twice as wide


def stage_card(stage, side: int) -> str:
    """One stage as HTML: title, picture, then type · dtype, shape, statistics, and what it drew."""
    title = "Input" if stage.step is None else stage.step["name"]
    info = stage.info
    lines = [f'<div class="tfv-title">{text(title)}</div>',
             img_tag(stage.view, side, f"{title} stage"),
             f"<div><code>{text(info.kind)}</code> · <code>{text(info.dtype)}</code></div>",
             f"<div>{text(info.shape)}</div>",
             f"<div>{text(info.stats)}</div>"]
    if stage.view_note:
        lines.append(f'<div class="tfv-cap">view: {text(stage.view_note)}</div>')
    if stage.sampled:
        lines.append(f'<div><span class="tfv-drew">drew: {text(stage.sampled)}</span></div>')
    lines += [f'<div class="tfv-warn">⚠ {text(w)}</div>' for w in stage.warnings]
    return "".join(lines)


def strip_html(result, per_row: int) -> str:
    side = THUMB_PROJECTOR if projector() else THUMB
    return grid([stage_card(s, side) for s in result.stages], per_row, "tf-strip")


def render_strip(result, per_row: int) -> None:
    """result: models.pipeline.RunResult. Stages in rows of `per_row`, then the failing step, if any."""
    st.html(memo_html(result, ("strip", per_row), lambda: strip_html(result, per_row)))
    p = result.problem
    if p and p.over_budget:
        st.error(plain(p.message), icon=":material/timer_off:")
    elif p:
        st.error(plain(f"Step {p.index + 1} ({p.step['name']}) cannot run here. {p.message} "
                       "The stages before it are shown above."), icon=":material/block:")
