"""Grid demo of the Pooling page: step-through with play/pause, coverage map, summary, backward pass."""

import time

import numpy as np
import streamlit as st

from app import cache, state
from components.layout import explain
from components.pooling_figures import (
    coverage_figure,
    coverage_legend,
    gradient_figure,
    input_figure,
    output_figure,
    step_block,
)
from components.pooling_grid import show
from models.pooling import PoolingError, PoolSpec, arithmetic, fmt

SPEEDS = (1, 2, 5, 8)  # output cells per second when playing


def analyse(x: np.ndarray, spec: PoolSpec):
    """Cached (values, windows, coverage, summary); PoolingError when the window does not fit."""
    return cache.pool_analysis(x.tobytes(), x.shape, spec)


def _shown_step(n: int) -> int:
    """The cell the running animation shows now (it started at POOL_PLAY_FROM at time POOL_PLAY_T0)."""
    ss = st.session_state
    elapsed = time.time() - ss.get(state.POOL_PLAY_T0, time.time())
    return (int(ss.get(state.POOL_PLAY_FROM, 0)) + int(elapsed * ss[state.POOL_SPEED])) % n


def _toggle_play(n: int) -> None:
    ss = st.session_state
    if ss[state.POOL_PLAYING]:  # pause on the cell that is on screen now
        ss[state.POOL_STEP] = _shown_step(n)
    ss[state.POOL_PLAYING] = not ss[state.POOL_PLAYING]
    ss[state.POOL_PLAY_FROM], ss[state.POOL_PLAY_T0] = ss[state.POOL_STEP], time.time()


def step_through(x, spec, values, wins, projector: bool) -> None:
    """Slider, or play: a looping CSS animation of every window, so frames need no server round trip."""
    ss = st.session_state
    n = len(wins)
    playing = ss[state.POOL_PLAYING] and n > 1
    a, b, c = st.columns([1, 2, 4], vertical_alignment="bottom")
    a.button("Pause" if playing else "Play", key=state.POOL_PLAY, on_click=_toggle_play, args=(n,),
             icon=":material/pause:" if playing else ":material/play_arrow:", disabled=n < 2)
    b.select_slider("Speed (cells per second)", SPEEDS, key=state.POOL_SPEED, disabled=playing)
    if playing:
        ss[state.POOL_PLAY_FROM] = ss[state.POOL_STEP] = _shown_step(n)  # settings changed while playing:
        ss[state.POOL_PLAY_T0] = time.time()  # restart the loop from the cell on screen
        c.caption(f"Playing: {n} windows in a loop, {ss[state.POOL_SPEED]} per second. Pause to inspect one.")
        _block(x, spec, values, wins, projector, play=True)
    else:
        _still(x, spec, values, wins, projector)


@st.fragment
def _still(x, spec, values, wins, projector: bool) -> None:
    """The slider and the figures it moves, rerun alone when the slider moves."""
    n = len(wins)
    st.session_state[state.POOL_STEP] = min(int(st.session_state.get(state.POOL_STEP, 0)), n - 1)
    if n > 1:
        st.slider("Output cell (in reading order: row by row)", 0, n - 1, key=state.POOL_STEP, format="cell %d")
    _block(x, spec, values, wins, projector, play=False)


def _block(x, spec, values, wins, projector: bool, play: bool) -> None:
    step = int(st.session_state[state.POOL_STEP])
    period = 1.0 / st.session_state[state.POOL_SPEED]
    current = wins[step]
    lines = [_line(x, spec, wnd) for wnd in wins] if play else [""] * len(wins)
    if not play:
        lines[step] = _line(x, spec, current)
    titles = (f"<b>Input {x.shape[0]}x{x.shape[1]}</b>, window outlined" + (", winner ringed" if current.winner else ""),
              f"<b>Output {values.shape[0]}x{values.shape[1]}</b> ({values.size} cells)")
    show(step_block(input_figure(x, spec, wins, current, projector, play, period),
                    output_figure(values, x, current.out, projector, play, period),
                    titles, lines, step, projector, play, period))


def _line(x, spec, wnd) -> str:
    i, j = wnd.out
    where = f" — winner: input (row {wnd.winner[0] + 1}, column {wnd.winner[1] + 1})" if wnd.winner else ""
    return f"<b>Output (row {i + 1}, column {j + 1})</b> = <code>{arithmetic(x, spec, wnd)}</code>{where}"


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%" if value in (0.0, 1.0) or value >= 0.01 else f"{100 * value:.1f}%"


def coverage_and_summary(x, spec: PoolSpec, cov, summary, projector: bool) -> None:
    left, right = st.columns([3, 2]) if not projector else (st.container(), st.container())
    with left:
        st.subheader("Coverage map: how many windows see each input cell")
        show(coverage_figure(cov, projector))
        st.html(coverage_legend(projector))
    with right:
        st.subheader("Summary")
        (oh, ow), (h, w) = summary.out_shape, summary.in_shape
        missed, over = int((cov == 0).sum()), int((cov >= 2).sum())
        st.html(f'<div data-testid="pool-missed" style="font-size:{1.3 if projector else 1.15}rem;font-weight:700">'
                f"Missed pixels: {missed} of {h * w} ({_pct(summary.missed)}) · "
                f"seen more than once: {over} ({_pct(summary.overlap)})</div>")
        m1, m2 = st.columns(2)
        m1.metric("Output size", f"{oh}x{ow}")
        m2.metric("Output / input", f"{oh * ow}/{h * w} = {summary.ratio:.2f}")
        m1.metric("Activations discarded", _pct(summary.reduction), help="1 − outputs/inputs: what the layer does "
                  "not pass on. 2x2 with stride 2 discards three quarters.")
        if summary.never_win is not None:
            m2.metric("Input cells that never win", _pct(summary.never_win))
        st.markdown("Output size (PyTorch's formula, height then width):")
        st.code(f"H: {summary.formulas[0]}\nW: {summary.formulas[1]}", language=None, wrap_lines=True)
        if missed:
            st.warning(f"The stride ({spec.stride[0]}) is larger than the window reach, so {missed} input cells are "
                       "never looked at: nothing that happens there can change the output.", icon=":material/visibility_off:")
        elif over:
            st.info("The stride is smaller than the window, so windows overlap: some cells are counted by several "
                    "outputs (a strong value can win more than once).", icon=":material/layers:")


def backward(x, spec: PoolSpec, values, projector: bool) -> None:
    st.subheader("Backward pass: where the gradient lands")
    oh, ow = values.shape
    a, b = st.columns([2, 3])
    target = a.radio("Upstream gradient", ("ones", "cell"), key=state.POOL_GRAD_TARGET, horizontal=True,
                     format_func={"ones": "1 for every output", "cell": "1 for one output cell"}.get)
    cell = None
    if target == "cell":
        if oh * ow > 1:
            idx = b.slider("Which output cell", 0, oh * ow - 1, key=state.POOL_GRAD_CELL, format="cell %d")
            idx = min(idx, oh * ow - 1)
        else:
            idx = 0
        cell = (idx // ow, idx % ow)
        b.caption(f"Gradient 1 for output (row {cell[0] + 1}, column {cell[1] + 1}) = {fmt(values[cell])}, 0 elsewhere.")
    try:
        grad = cache.pool_gradient(x.tobytes(), x.shape, spec, cell)
    except PoolingError as exc:
        st.error(str(exc))
        return
    left, right = st.columns([3, 2]) if not projector else (st.container(), st.container())
    with left:
        show(gradient_figure(grad, cell, projector))
    hit = int((grad > 0).sum())
    rule = {"max": "Max pooling sends each window's gradient **only to its winner**; every other cell gets 0.",
            "min": "Min pooling sends each window's gradient **only to its smallest cell**.",
            "mean": "Mean pooling **spreads** each window's gradient evenly: 1/(cells counted) to each.",
            "lp": "Lp pooling shares each window's gradient in proportion to value^(p−1): big values get more."}
    with right:
        st.markdown(rule[spec.mode])
        st.markdown(f"{hit} of {x.size} input cells receive gradient; the largest amount is **{fmt(float(grad.max()))}**"
                    f" and the total is **{fmt(float(grad.sum()))}**.")
        if cell is None and float(grad.max()) > 1 + 1e-9:
            st.markdown("Cells above 1 sit where windows overlap: they **accumulate** gradient from every window "
                        "that picked or counted them.")
        explain("During training this map says which input cells get told to change. Cells with 0 learn nothing "
                "from this layer's output — with max pooling that is every cell that never wins.", projector)
