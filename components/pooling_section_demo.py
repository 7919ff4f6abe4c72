"""Pooling grid demo results: step-through (pooling_section_step), coverage map, summary, backward pass.

results() is the RESULTS fragment: it reads the grid and the settings from session state, so a setting
change reruns it without redrawing the controls (see pooling_section_controls).
"""

import numpy as np
import streamlit as st

from app import cache, state
from components.layout import explain
from components.pooling_figures import gradient_figure, input_figure
from components.pooling_section_controls import RESULTS, spec_from_state
from components.pooling_section_step import step_through
from components.pooling_summary import coverage_block, summary_block
from components.pooling_view import view
from models.pooling import PoolingError, PoolSpec, check_input, fmt

RULES = {"max": "Max pooling sends each window's gradient **only to its winner**; every other cell gets 0.",
         "min": "Min pooling sends each window's gradient **only to its smallest cell**.",
         "mean": "Mean pooling **spreads** each window's gradient evenly: 1/(cells counted) to each.",
         "lp": "Lp pooling shares each window's gradient in proportion to value^(p−1): big values get more."}


def analyse(x: np.ndarray, spec: PoolSpec):
    """Cached (values, windows, coverage, summary); PoolingError when the window does not fit."""
    return cache.pool_analysis(x.tobytes(), x.shape, spec)


@st.fragment(key=RESULTS)
def results(projector: bool) -> None:
    """Everything the grid and the settings produce, or the input alone and what is wrong."""
    x = st.session_state.get(state.POOL_GRID)
    if x is None:  # the source controls already said why
        return
    try:
        spec = spec_from_state()
        x = check_input(x, spec)
        values, wins, cov, summary = analyse(x, spec)
    except PoolingError as exc:
        st.error(str(exc), icon=":material/error:")
        st.markdown("**Input** (fix the setting above to see the pooling):")
        view(input_figure(x, None, [], None, projector), "pool_input_only")
        return
    st.subheader("Step through the windows")
    step_through(x, spec, values, wins, projector)
    coverage_and_summary(spec, cov, summary, projector)
    backward(x, spec, values, projector)


def coverage_and_summary(spec: PoolSpec, cov, summary, projector: bool) -> None:
    left, right = st.columns([3, 2]) if not projector else (st.container(), st.container())
    left.subheader("Coverage map: how many windows see each input cell")
    with left:
        view(coverage_block(cov, projector), "pool_coverage_view")
    right.subheader("Summary")
    with right:
        view(summary_block(summary, cov, projector), "pool_summary_view")
    missed, over = int((cov == 0).sum()), int((cov >= 2).sum())
    if missed:
        right.warning(f"The stride ({spec.stride[0]}) is larger than the window reach, so {missed} input cells are "
                      "never looked at: nothing that happens there can change the output.",
                      icon=":material/visibility_off:")
    elif over:
        right.info("The stride is smaller than the window, so windows overlap: some cells are counted by several "
                   "outputs (a strong value can win more than once).", icon=":material/layers:")


@st.fragment
def backward(x, spec: PoolSpec, values, projector: bool) -> None:
    """Where the upstream gradient lands; its own controls rerun only this part."""
    st.subheader("Backward pass: where the gradient lands")
    oh, ow = values.shape
    a, b = st.columns([2, 3])
    target = a.radio("Upstream gradient", ("ones", "cell"), key=state.POOL_GRAD_TARGET, horizontal=True,
                     format_func={"ones": "1 for every output", "cell": "1 for one output cell"}.get)
    cell = None
    if target == "cell":
        idx = 0
        if oh * ow > 1:
            idx = min(b.slider("Which output cell", 0, oh * ow - 1, key=state.POOL_GRAD_CELL, format="cell %d"),
                      oh * ow - 1)
        cell = (idx // ow, idx % ow)
        b.caption(f"Gradient 1 for output (row {cell[0] + 1}, column {cell[1] + 1}) = {fmt(values[cell])}, 0 elsewhere.")
    try:
        grad = cache.pool_gradient(x.tobytes(), x.shape, spec, cell)
    except PoolingError as exc:
        st.error(str(exc))
        return
    left, right = st.columns([3, 2]) if not projector else (st.container(), st.container())
    with left:
        view(gradient_figure(grad, cell, projector), "pool_gradient_view")
    hit = int((grad > 0).sum())
    text = (f"{RULES[spec.mode]}\n\n{hit} of {x.size} input cells receive gradient; the largest amount is "
            f"**{fmt(float(grad.max()))}** and the total is **{fmt(float(grad.sum()))}**.")
    if cell is None and float(grad.max()) > 1 + 1e-9:
        text += ("\n\nCells above 1 sit where windows overlap: they **accumulate** gradient from every window "
                 "that picked or counted them.")
    right.markdown(text)
    with right:
        explain("During training this map says which input cells get told to change. Cells with 0 learn nothing "
                "from this layer's output — with max pooling that is every cell that never wins.", projector)
