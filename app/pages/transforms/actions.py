"""Button and widget callbacks of the Transforms page, the one-off notice, and the end-of-run marker.

The page is two fragments: the editor (EDITOR) and the view of the result (VIEW: seed and tabs), whose open
tab is a fragment of its own (BODY: stage strip, random grid, export or DataLoader). Callbacks name the
fragments to redraw, so a parameter change redraws only the open tab and a structural change the editor
too; nothing else on the page is sent again."""

import os
import random
import time

import streamlit as st

from app.pages.transforms import state
from components.layout import plain
from components.pipeline_editor import add_step
from models.pipeline import PRESETS, preset_steps
from models.pipeline_io import MAX_SEED, MAX_STEPS, PipelineFileError, from_json

EDITOR, VIEW, BODY = "tf_editor_fragment", "tf_view_fragment", "tf_body_fragment"  # st.fragment keys
MAX_IMPORT_BYTES = 100_000


def show_notice() -> None:
    notice = st.session_state.pop(state.NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])


def refresh(structural: bool) -> None:
    """From a callback: redraw the open tab, and the editor too when the pipeline's structure changed."""
    st.rerun([EDITOR, BODY] if structural else BODY)


def on_add() -> None:
    add_step(st.session_state[state.STEPS], st.session_state[state.ADD], st.session_state, state.NEXT_ID, MAX_STEPS)
    refresh(True)


def on_preset() -> None:
    state.replace_steps(preset_steps(st.session_state[state.PRESET]), None)


def on_mnist_preset() -> None:
    """From the DataLoader tab: the whole page reruns, so the Preset box shows the preset too."""
    st.session_state[state.PRESET] = "MNIST training augmentation"
    on_preset()
    st.rerun()


def on_clear() -> None:
    state.replace_steps([], None)


def on_resample() -> None:
    st.session_state[state.SEED] = random.randrange(MAX_SEED // 1000)


def on_import() -> None:
    upload = st.session_state.get(state.IMPORT)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        if len(data) > MAX_IMPORT_BYTES:
            raise PipelineFileError(f"This file is {len(data) // 1000} kB; a pipeline file is at most "
                                    f"{MAX_IMPORT_BYTES // 1000} kB.")
        state.replace_steps(*from_json(data))
    except PipelineFileError as exc:
        st.session_state[state.NOTICE] = ("error", plain(f"Cannot load {upload.name}: {exc}"))
        return
    st.session_state[state.NOTICE] = ("success", plain(f"Loaded {upload.name}."))
    st.rerun([EDITOR, VIEW])  # the file may bring its own seed


def preset_names() -> list[str]:
    return list(PRESETS)


def start_clock() -> None:
    """Start timing this run at the first fragment it enters (view, open tab or DataLoader); done_marker
    reads and clears the clock at the end of the run."""
    st.session_state.setdefault(state.CLOCK, (time.perf_counter(), time.thread_time()))


def timing_shown() -> bool:
    return os.environ.get("CONVLAB_TIMING") == "1"


def done_marker() -> None:
    """Last element of every run of the view, or of the DataLoader fragment when only that reran: the run's
    cost in wall-clock and in CPU time of this script thread (which a busy machine does not inflate); the
    benchmarks read the data attributes. Exactly one marker is on the page; its text only with
    CONVLAB_TIMING=1."""
    started = st.session_state.pop(state.CLOCK)
    runs = st.session_state[state.RUNS] = st.session_state.get(state.RUNS, 0) + 1
    wall, cpu = 1000 * (time.perf_counter() - started[0]), 1000 * (time.thread_time() - started[1])
    words = f"Server work for this update: {wall:.0f} ms." if timing_shown() else ""
    st.html(f'<div data-testid="tf-done" data-run="{runs}" data-cpu-ms="{cpu:.1f}" style="font-size:0.8rem;'
            f'color:#444">{words}</div>')
