"""Pooling grid demo, part 1: step through the windows with a slider, or play them as a CSS animation."""

import time

import streamlit as st

from app.pages.pooling import state
from app.pages.pooling.controls import reassert
from components.pooling_figures import input_figure, output_figure, step_block
from components.pooling_view import view
from models.pooling import arithmetic

SPEEDS = (1, 2, 5, 8)  # output cells per second when playing
STEP_VIEW = "pool_step_view"  # element key of the step figures
CODE = ("font-family:'Source Code Pro',monospace;font-size:.75em;color:#0c5a44;background:#f8f9fb;"
        "padding:.2em .4em;border-radius:.25rem")  # Streamlit's inline-code look


def _shown_step(n: int) -> int:
    """Index (from 0) of the cell the running animation shows now (it started at index POOL_PLAY_FROM at time
    POOL_PLAY_T0)."""
    ss = st.session_state
    elapsed = time.time() - ss.get(state.POOL_PLAY_T0, time.time())
    return (int(ss.get(state.POOL_PLAY_FROM, 0)) + int(elapsed * ss[state.POOL_SPEED])) % n


def _index(n: int) -> int:
    """The chosen output cell as an index from 0 (POOL_STEP holds the cell number shown, from 1), within n cells."""
    return min(max(int(st.session_state.get(state.POOL_STEP) or 1), 1), n) - 1


def _toggle_play(n: int) -> None:
    ss = st.session_state
    if ss[state.POOL_PLAYING]:  # pause on the cell that is on screen now
        ss[state.POOL_STEP] = _shown_step(n) + 1
    ss[state.POOL_PLAYING] = not ss[state.POOL_PLAYING]
    ss[state.POOL_PLAY_FROM], ss[state.POOL_PLAY_T0] = _index(n), time.time()


def step_through(x, spec, values, wins) -> None:
    """Slider, or play: a looping CSS animation of every window, so frames need no server round trip.

    x (H, W), values (oh, ow), wins: one models.pooling.Window per output cell in reading order."""
    ss = st.session_state
    n = len(wins)
    playing = ss[state.POOL_PLAYING] and n > 1
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")  # one block, not four columns
    row.button("Pause" if playing else "Play", key=state.POOL_PLAY, on_click=_toggle_play, args=(n,),
               icon=":material/pause:" if playing else ":material/play_arrow:", disabled=n < 2)
    row.select_slider("Speed (cells per second)", SPEEDS, key=state.POOL_SPEED, disabled=playing, width=320)
    if playing:
        ss[state.POOL_PLAY_FROM] = _shown_step(n)  # settings changed while playing:
        ss[state.POOL_STEP] = ss[state.POOL_PLAY_FROM] + 1  # restart the loop from the cell on screen
        ss[state.POOL_PLAY_T0] = time.time()
        row.caption(f"Playing: {n} windows in a loop, {ss[state.POOL_SPEED]} per second. Pause to inspect one.")
        _block(x, spec, values, wins, play=True)
    else:
        _still(x, spec, values, wins)


@st.fragment
def _still(x, spec, values, wins) -> None:
    """The slider and the figures it moves, rerun alone when the slider moves."""
    n = len(wins)
    reassert(state.POOL_STEP)
    st.session_state[state.POOL_STEP] = _index(n) + 1
    if n > 1:
        st.slider("Output cell (in reading order: row by row)", 1, n, key=state.POOL_STEP, format=f"cell %d of {n}")
    _block(x, spec, values, wins, play=False)


def _block(x, spec, values, wins, play: bool) -> None:
    step = _index(len(wins))
    period = 1.0 / st.session_state[state.POOL_SPEED]
    current = wins[step]
    lines = [_line(x, spec, wnd) for wnd in wins] if play else [""] * len(wins)
    if not play:
        lines[step] = _line(x, spec, current)
    titles = (f"<b>Input {x.shape[0]}x{x.shape[1]}</b>, window outlined" + (", winner ringed" if current.winner else ""),
              f"<b>Output {values.shape[0]}x{values.shape[1]}</b> ({values.size} cells)")
    view(step_block(input_figure(x, spec, wins, current, play, period),
                    output_figure(values, x, current.out, play, period),
                    titles, lines, step, play, period), STEP_VIEW)


def _line(x, spec, wnd) -> str:
    i, j = wnd.out
    where = f" — winner: input (row {wnd.winner[0] + 1}, column {wnd.winner[1] + 1})" if wnd.winner else ""
    return f"<b>Output (row {i + 1}, column {j + 1})</b> = <code style=\"{CODE}\">{arithmetic(x, spec, wnd)}</code>{where}"
