"""Session state of the Transforms page: every key, its default, and the one way to replace the step list.

The settings live here (the step list with every parameter, the seed, the tab) and the widgets are drawn
from them, so a run that draws no picture (no image yet) loses nothing."""

import streamlit as st

STEPS = "tf_steps"  # list[dict]: the pipeline steps {"id", "name", "enabled", "params"} (models.pipeline)
NEXT_ID = "tf_next_id"  # int: next step id number, so new steps never reuse an old step's widget keys
URL_DONE = "tf_url_done"  # bool: ?tf= pipeline from the URL already applied this session
NOTICE = "tf_notice"  # (kind, plain text): message about the last import/link (shown once)
SEED = "tf_seed"  # int: seed before the whole pipeline
ADD = "tf_add"  # str: catalogue entry chosen for "Add step"
PRESET = "tf_preset"  # str: preset chosen (loads on selection)
TAB = "tf_tab"  # str: the part of the result shown (Stages / Random outcomes / Export & share / Dataset & DataLoader)
GRID_N = "tf_grid_n"  # int: outcomes in the random grid (8..16)
IMPORT = "tf_import"  # uploaded pipeline JSON
STEP_PREFIX = "tf_step_"  # + "<step id>_<param>" : one widget per step parameter; "<id>__on" enable toggle
DS_SOURCE = "tf_ds_source"  # "MNIST sample" or "Sample photos"
DS_N = "tf_ds_n"  # int: number of samples
DS_BATCH = "tf_ds_batch"  # int: batch_size
DS_SHUFFLE = "tf_ds_shuffle"  # bool
DS_DROP = "tf_ds_drop"  # bool: drop_last
DS_SEED = "tf_ds_seed"  # int: DataLoader seed
DS_WALKER = "tf_ds_walker"  # minibatch.Walk: the settings, the EpochWalker, the batch shown, the next one
RUNS = "tf_runs"  # int: workbench runs so far (the benchmark waits for the next one)
CLOCK = "tf_clock"  # (wall, cpu) start of the view run, for the end-of-run marker
IMAGE_PREFIX = "tf_img"  # widget keys of the image picker (components.image_source)
SAVED = "tf_saved"  # dict: the last value of every settings widget below, kept when no run draws the widget

DEFAULT_PRESET = "ImageNet training"
# Settings held by widgets, with their defaults (None: the widget's own default). Streamlit forgets a widget's
# value when a run does not draw it (another tab, another page, no image yet); these come back from SAVED.
SETTINGS = {SEED: 0, PRESET: DEFAULT_PRESET, ADD: "RandomRotation", GRID_N: 12, DS_SOURCE: None, DS_N: 100,
            DS_BATCH: 20, DS_SHUFFLE: True, DS_DROP: False, DS_SEED: 0, f"{IMAGE_PREFIX}_sample": None,
            TAB: "Stages"}


def replace_steps(steps: list[dict], seed: int | None) -> None:
    """Swap in a whole new step list (fresh ids, so no old widget state leaks into the new steps)."""
    ss = st.session_state
    for key in [k for k in ss if str(k).startswith(STEP_PREFIX)]:
        del ss[key]
    first = ss.get(NEXT_ID, 0)
    ss[NEXT_ID] = first + len(steps)
    ss[STEPS] = [{**s, "id": f"s{first + i}"} for i, s in enumerate(steps)]
    if seed is not None:
        ss[SEED] = seed


def snapshot() -> None:
    """Record the settings widgets' current values; called at the start of every run of the page and of its
    fragments, so the value of the last change is always saved."""
    ss = st.session_state
    saved = ss.setdefault(SAVED, {})
    for key in SETTINGS:
        if key in ss:
            saved[key] = ss[key]


def init_defaults() -> None:
    """The page's settings before its first widget is drawn: saved values come back, defaults fill the rest
    (the link, if any, was applied by url_state first)."""
    from models.pipeline import preset_steps

    ss = st.session_state
    snapshot()
    for key, default in SETTINGS.items():
        value = ss[SAVED].get(key, default)
        if value is not None:
            ss[key] = value
    if STEPS not in ss:
        replace_steps(preset_steps(ss[PRESET]), None)
