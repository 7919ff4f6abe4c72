"""Session state of the Transforms page: the step list, the URL round trip, and the button callbacks.

The page is two fragments: the editor (EDITOR) and the view of the result (VIEW: seed and tabs), whose open
tab is a fragment of its own (BODY: stage strip, random grid, export or DataLoader). Callbacks name the
fragments to redraw, so a parameter change redraws only the open tab and a structural change the editor
too; nothing else on the page is sent again."""

import random
import time

import streamlit as st

from app import state
from components.pipeline_editor import add_step
from models.pipeline import PRESETS, preset_steps
from models.pipeline_io import MAX_SEED, PipelineFileError, decode_url, encode_url, from_json

DEFAULT_PRESET = "ImageNet training"
URL_KEY = "tf"
EDITOR, VIEW, BODY = "tf_editor_fragment", "tf_view_fragment", "tf_body_fragment"  # st.fragment keys
MAX_IMPORT_BYTES = 100_000


def _replace(steps: list[dict], seed: int | None) -> None:
    """Swap in a whole new step list (fresh ids, so no old widget state leaks into the new steps)."""
    ss = st.session_state
    for key in [k for k in ss if str(k).startswith(state.TF_STEP_PREFIX)]:
        del ss[key]
    first = ss.get(state.TF_NEXT_ID, 0)
    ss[state.TF_NEXT_ID] = first + len(steps)
    ss[state.TF_STEPS] = [{**s, "id": f"s{first + i}"} for i, s in enumerate(steps)]
    if seed is not None:
        ss[state.TF_SEED] = seed


def init() -> list[dict]:
    """Steps for this run: from ?tf= on the first run of a session, else the session's own list."""
    ss = st.session_state
    if not ss.get(state.TF_URL_DONE):
        ss[state.TF_URL_DONE] = True
        ss.setdefault(state.TF_SEED, 0)
        code = st.query_params.get(URL_KEY)
        if code:
            try:
                _replace(*decode_url(code))
                ss[state.TF_NOTICE] = ("success", "Loaded the pipeline from the link.")
            except PipelineFileError as exc:
                ss[state.TF_NOTICE] = ("warning", f"{exc} Starting from the {DEFAULT_PRESET} preset instead.")
    if state.TF_STEPS not in ss:
        _replace(preset_steps(DEFAULT_PRESET), None)
    return ss[state.TF_STEPS]


def sync_url(steps: list[dict], seed: int) -> None:
    code = encode_url(steps, seed)
    if st.query_params.get(URL_KEY) != code:
        st.query_params[URL_KEY] = code


def show_notice() -> None:
    notice = st.session_state.pop(state.TF_NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])


def refresh(structural: bool) -> None:
    """From a callback: redraw the open tab, and the editor too when the pipeline's structure changed."""
    st.rerun([EDITOR, BODY] if structural else BODY)


def on_add() -> None:
    add_step(st.session_state[state.TF_STEPS], st.session_state[state.TF_ADD], st.session_state, state.TF_NEXT_ID)
    refresh(True)


def on_preset() -> None:
    _replace(preset_steps(st.session_state[state.TF_PRESET]), None)


def on_mnist_preset() -> None:
    """From the DataLoader tab: the whole page reruns, so the Preset box shows the preset too."""
    st.session_state[state.TF_PRESET] = "MNIST training augmentation"
    on_preset()
    st.rerun()


def on_clear() -> None:
    _replace([], None)


def on_resample() -> None:
    st.session_state[state.TF_SEED] = random.randrange(MAX_SEED // 1000)


def on_import() -> None:
    upload = st.session_state.get(state.TF_IMPORT)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        if len(data) > MAX_IMPORT_BYTES:
            raise PipelineFileError(f"This file is {len(data) // 1000} kB; a pipeline file is at most "
                                    f"{MAX_IMPORT_BYTES // 1000} kB.")
        _replace(*from_json(data))
    except PipelineFileError as exc:
        st.session_state[state.TF_NOTICE] = ("error", f"Cannot load **{upload.name}**: {exc}")
        return
    st.session_state[state.TF_NOTICE] = ("success", f"Loaded {upload.name}.")
    st.rerun([EDITOR, VIEW])  # the file may bring its own seed


def preset_names() -> list[str]:
    return list(PRESETS)


def start_clock() -> None:
    """Start timing this run at the first fragment it enters (view, open tab or DataLoader); done_marker
    reads and clears the clock at the end of the run."""
    st.session_state.setdefault(state.TF_CLOCK, (time.perf_counter(), time.thread_time()))


def done_marker() -> None:
    """Last element of every run of the view, or of the DataLoader fragment when only that reran: the run's
    cost in wall-clock and in CPU time of this script thread (which a busy machine does not inflate); the
    benchmarks read the data attributes. Exactly one marker is on the page."""
    started = st.session_state.pop(state.TF_CLOCK)
    runs = st.session_state[state.TF_RUNS] = st.session_state.get(state.TF_RUNS, 0) + 1
    wall, cpu = 1000 * (time.perf_counter() - started[0]), 1000 * (time.thread_time() - started[1])
    st.html(f'<div data-testid="tf-done" data-run="{runs}" data-cpu-ms="{cpu:.1f}" style="font-size:0.8rem;'
            f'color:#444">Server work for this update: {wall:.0f} ms.</div>')
