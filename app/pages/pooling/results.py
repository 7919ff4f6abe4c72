"""Pooling grid demo results: step-through (step.py), coverage map, summary, backward pass.

results() is the RESULTS fragment: it reads the grid and the settings from session state, so a setting
change reruns it without redrawing the controls (see controls.py).
"""

import streamlit as st

from app.pages.pooling import cache, state
from app.pages.pooling.controls import RESULTS, spec_from_state
from app.pages.pooling.step import step_through
from components.pooling_figures import gradient_figure, input_figure
from components.pooling_html import alert, explanation, heading, two_columns
from components.pooling_summary import coverage_block, summary_block
from components.pooling_view import view
from models.pooling import PoolingError, PoolSpec, check_input, fmt

RULES = {"max": "Max pooling sends each window's gradient <b>only to its winner</b>; every other cell gets 0.",
         "min": "Min pooling sends each window's gradient <b>only to its smallest cell</b>.",
         "mean": "Mean pooling <b>spreads</b> each window's gradient evenly: 1/(cells counted) to each.",
         "lp": "Lp pooling shares each window's gradient in proportion to value^(p−1): big values get more."}


@st.fragment(key=RESULTS)
def results() -> None:
    """Everything the grid and the settings produce, or the input alone and what is wrong."""
    state.keep_settings()
    x = st.session_state.get(state.POOL_GRID)
    if x is None:  # the source controls already said why
        return
    try:
        spec = spec_from_state()
        x = check_input(x, spec)
        values, wins, cov, summary = cache.analysis(x, spec)
    except PoolingError as exc:
        st.error(str(exc), icon=":material/error:")
        st.markdown("**Input** (fix the setting above to see the pooling):")
        view(input_figure(x, None, [], None), "pool_input_only")
        return
    st.subheader("Step through the windows", anchor="step-through-the-windows")  # given, not slugified anew
    step_through(x, spec, values, wins)
    coverage_and_summary(spec, cov, summary)
    backward(x, spec, values)


def coverage_and_summary(spec: PoolSpec, cov, summary) -> None:
    """Coverage map and summary side by side, with the gap/overlap warning: one element."""
    missed, over = int((cov == 0).sum()), int((cov >= 2).sum())
    note = ""
    if missed:
        note = alert("warning", "visibility_off", f"The stride ({spec.stride[0]}) is larger than the window reach, so "
                     f"{missed} input cells are never looked at: nothing that happens there can change the output.")
    elif over:
        note = alert("info", "layers", "The stride is smaller than the window, so windows overlap: some cells are "
                     "counted by several outputs (a strong value can win more than once).")
    view(two_columns(heading("Coverage map: how many windows see each input cell") + coverage_block(cov),
                     heading("Summary") + summary_block(summary, cov) + note),
         "pool_coverage_view")


@st.fragment
def backward(x, spec: PoolSpec, values) -> None:
    """Where the upstream gradient lands; its own controls rerun only this part."""
    state.keep_settings()
    st.subheader("Backward pass: where the gradient lands", anchor="backward-pass-where-the-gradient-lands")
    oh, ow = values.shape
    cell_mode = st.session_state.get(state.POOL_GRAD_TARGET) == "cell"
    a, b = st.columns([2, 3]) if cell_mode else (st, None)  # no columns for the usual "ones"
    target = a.radio("Upstream gradient", ("ones", "cell"), key=state.POOL_GRAD_TARGET, horizontal=True,
                     format_func={"ones": "1 for every output", "cell": "1 for one output cell"}.get)
    cell = None
    if target == "cell" and b is not None:
        number = 1
        if oh * ow > 1:
            st.session_state[state.POOL_GRAD_CELL] = min(max(int(st.session_state.get(state.POOL_GRAD_CELL) or 1), 1),
                                                         oh * ow)
            number = b.slider("Which output cell", 1, oh * ow, key=state.POOL_GRAD_CELL, format=f"cell %d of {oh * ow}")
        cell = ((number - 1) // ow, (number - 1) % ow)
        b.caption(f"Gradient 1 for output (row {cell[0] + 1}, column {cell[1] + 1}) = {fmt(values[cell])}, 0 elsewhere.")
    try:
        grad = cache.gradient(x, spec, cell)
    except PoolingError as exc:
        st.error(str(exc))
        return
    text = [RULES[spec.mode], f"{int((grad > 0).sum())} of {x.size} input cells receive gradient; the largest amount "
            f"is <b>{fmt(float(grad.max()))}</b> and the total is <b>{fmt(float(grad.sum()))}</b>."]
    if cell is None and float(grad.max()) > 1 + 1e-9:
        text.append("Cells above 1 sit where windows overlap: they <b>accumulate</b> gradient from every window "
                    "that picked or counted them.")
    words = "".join(f'<p style="margin:0 0 1rem 0">{t}</p>' for t in text) + explanation(
        "During training this map says which input cells get told to change. Cells with 0 learn nothing from this "
        "layer's output — with max pooling that is every cell that never wins.")
    view(two_columns(gradient_figure(grad, cell), words), "pool_gradient_view")
