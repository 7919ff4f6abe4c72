"""The result section: seed and the switch between its parts (actions.VIEW), then the chosen part in its own
fragment (actions.BODY), which a parameter change redraws alone."""

from dataclasses import dataclass

import streamlit as st
from PIL import Image

from app.pages.transforms import actions, cache, state
from app.pages.transforms.dataset_tab import render_dataset
from app.pages.transforms.url_state import sync_url
from components.layout import plain
from components.stage_strip import render_strip
from components.theme import projector
from components.transform_export import render_export
from components.transform_outcomes import render_outcomes
from models.pipeline_io import MAX_SEED

TABS = ("Stages", "Random outcomes", "Export & share", "Dataset & DataLoader")


@dataclass(frozen=True)
class Picture:
    """The input image of the pipeline and what names it."""
    image: Image.Image
    image_id: str
    code_line: str  # source that loads the same image in the exported code


@st.fragment(key=actions.VIEW)
def view(picture: Picture | None) -> None:
    state.snapshot()
    actions.start_clock()
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input("Seed", 0, MAX_SEED, key=state.SEED, width=240,
                        help="One torch.manual_seed(seed) before the whole pipeline, as the exported code does.")
        st.button("Resample (new seed)", on_click=actions.on_resample, key="tf_resample", icon=":material/casino:")
    # A switch rather than st.tabs: a tab panel re-scans its subtree for focusable elements on every DOM change.
    chosen = st.segmented_control("Part of the result", TABS, key=state.TAB, required=True,
                                  label_visibility="collapsed")
    body(TABS.index(chosen or TABS[0]), picture)


@st.fragment(key=actions.BODY)
def body(tab: int, picture: Picture | None) -> None:
    """The open tab (index into TABS): stage strip, random grid, export, or Dataset & DataLoader."""
    state.snapshot()
    actions.start_clock()
    actions.show_notice()
    steps = st.session_state[state.STEPS]
    seed = int(st.session_state[state.SEED])
    code = sync_url(steps, seed)
    per_row = 3 if projector() else 4
    if tab == 3:  # the DataLoader tab ends with its own fragment, which places the marker
        render_dataset(steps, actions.on_mnist_preset)
        return
    if picture is None:
        st.info("No image yet: choose a sample or upload a picture above. The pipeline keeps its settings.")
    elif tab == 0:
        render_strip(cache.stages(picture.image_id, picture.image, code, steps, seed), per_row)
    elif tab == 1:
        n = st.slider("Outcomes", 8, 16, step=4, key=state.GRID_N)
        st.caption(f"Seeds {seed} to {seed + n - 1}: the same pipeline run {n} times. Random steps "
                   "list what their make_params drew.")
        try:
            render_outcomes(cache.outcomes(picture.image_id, picture.image, code, steps, seed, n), per_row)
        except cache.OutcomesRefused as exc:
            st.error(plain(str(exc)), icon=":material/block:")
    else:
        render_export(steps, seed, picture.code_line, state.IMPORT, actions.on_import)
    actions.done_marker()
