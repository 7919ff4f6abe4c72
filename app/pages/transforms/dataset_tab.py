"""The Dataset & DataLoader tab: controls, the data-path diagram, the custom Dataset's code, and a step
button that walks through the minibatches of an epoch (then the next epoch, reshuffled when shuffle is on).

The step buttons, the minibatch, the definitions and the diagram form their own fragment (BATCH): the next
minibatch redraws only them, not the controls, the Dataset's source or anything else on the page."""

import inspect

import streamlit as st
from PIL import Image

from app.pages.transforms import cache, minibatch, state
from app.pages.transforms.actions import done_marker, start_clock
from components.layout import plain
from components.transform_batch import diagram, render_definitions
from models.digit_dataset import (
    SOURCES,
    PipelineDataset,
    iterations_per_epoch,
    loader_problem,
)
from models.pipeline import input_shape, run_stages
from models.pipeline_cost import judge


def fitting_source(steps: list[dict]) -> str:
    """The first data source on whose first sample the pipeline runs (the default pipeline expects RGB
    photos, the MNIST preset grey digits), so the tab opens working whatever the pipeline."""
    return next((s for s in SOURCES if not _check_first_sample(steps, s, 1)), SOURCES[0])


def _controls(steps: list[dict]) -> tuple:
    if st.session_state.get(state.DS_SOURCE) is None:
        st.session_state[state.DS_SOURCE] = fitting_source(steps)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        source = st.segmented_control("Data", SOURCES, key=state.DS_SOURCE) or SOURCES[0]
        shuffle = st.toggle("shuffle", key=state.DS_SHUFFLE)
        drop = st.toggle("drop_last", key=state.DS_DROP)
    c = st.columns(3)
    n = c[0].number_input("samples N", 1, 1000, key=state.DS_N)
    batch = c[1].number_input("batch_size", 1, 256, key=state.DS_BATCH)
    seed = c[2].number_input("seed (shuffle order and augmentation)", 0, 10**6, key=state.DS_SEED)
    return source, int(n), int(batch), int(seed), bool(shuffle), bool(drop)


def _check_first_sample(steps, source, batch: int) -> str:
    """Why the loader cannot make a batch of this size from this source ("" if it can)."""
    images, _, _ = cache.dataset_arrays(source)
    first = Image.fromarray(images[0])
    verdict = judge(steps, input_shape(first), runs=batch, what=f"One minibatch of {batch}")
    if not verdict.ok:
        return verdict.message
    result = run_stages(steps, first, 0, keep_views=False)
    if result.problem:
        p = result.problem
        return f"On the first sample, step {p.index + 1} ({p.step['name']}) cannot run: {p.message}"
    return "" if hasattr(result.output, "shape") else loader_problem(TypeError("found <class PIL"))


BATCH = "tf_batch_fragment"  # st.fragment key


def render_dataset(steps: list[dict], on_fix) -> None:
    """The whole tab; the page's end-of-run marker (done_marker) ends the minibatch fragment."""
    settings = _controls(steps)
    problem = _check_first_sample(steps, settings[0], settings[2])
    _batch_section(steps, settings, problem, on_fix)
    st.markdown("**The custom `Dataset` used here** (`models/digit_dataset.py`): `__len__` says how many samples "
                "there are, `__getitem__(i)` loads sample i and runs the pipeline on it.")
    st.code(inspect.getsource(PipelineDataset), language="python", wrap_lines=True)


@st.fragment(key=BATCH)
def _batch_section(steps: list[dict], settings: tuple, problem: str, on_fix) -> None:
    """The step buttons, the current minibatch with the definitions beside it, and the data-path diagram."""
    state.snapshot()
    start_clock()
    source, n, batch, seed, shuffle, drop = settings
    iters = iterations_per_epoch(n, batch, drop)
    with st.container(horizontal=True):
        step = st.button("Next minibatch", icon=":material/skip_next:", key="tf_ds_next", type="primary",
                     disabled=bool(problem))
        restart = st.button("Restart from epoch 1", icon=":material/restart_alt:", key="tf_ds_restart",
                        disabled=bool(problem))
    left, right = st.columns([3, 2])
    batch_shape, item_shape, walk = "(B, C, H, W)", "(C, H, W)", None
    with left:
        if problem:
            st.error(plain(problem + " The DataLoader needs every sample to come out as a tensor of one size."))
            st.button("Load the MNIST training augmentation preset", on_click=on_fix, key="tf_ds_fix",
                      icon=":material/build:")
        else:
            try:
                walk = minibatch.walk(steps, settings, restart)
                if step:
                    minibatch.advance(walk, steps)
            except (RuntimeError, TypeError, ValueError) as exc:
                st.error(plain(loader_problem(exc)))
                walk = None
            if walk is not None:
                minibatch.show(walk, steps, iters)
                batch_shape = str(tuple(walk.current.batch.images.shape))
                item_shape = str(tuple(walk.current.batch.images.shape[1:]))
    with right:
        render_definitions(n, batch, drop, iters)
    st.html(diagram(source, item_shape, n, batch, iters, batch_shape))
    if walk is not None:
        minibatch.make_ahead(walk, steps)  # while the student looks at this one
    done_marker()
