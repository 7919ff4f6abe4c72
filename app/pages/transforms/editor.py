"""The pipeline editor section: the step cards and the Add row, in their own fragment (actions.EDITOR)."""

import streamlit as st

from app.pages.transforms import actions, state
from components.pipeline_editor import catalogue_names, render_steps
from components.theme import projector
from models.pipeline_io import MAX_STEPS


@st.fragment(key=actions.EDITOR)
def editor() -> None:
    """A card's widgets redraw the open tab (see actions.refresh); structural changes this fragment too."""
    state.snapshot()
    st.header("Pipeline")
    # A scroll box beside the result in normal mode; full height in projector mode, where the editor sits above
    # the result and a scroll box would hide settings the class should see.
    with st.container(height="content" if projector() else 720, key="tf_editor"):
        render_steps(st.session_state[state.STEPS], state.STEP_PREFIX, 4 if projector() else 2, actions.refresh)
    full = len(st.session_state[state.STEPS]) >= MAX_STEPS
    c = st.columns([3, 2], vertical_alignment="bottom")
    c[0].selectbox("Add a step", catalogue_names(), key=state.ADD,
                   help="Lambda steps come from a fixed menu (invert, threshold, gamma, add noise): "
                        "ConvLab never runs code typed into the page.")
    c[1].button("Add", on_click=actions.on_add, key="tf_add_btn", icon=":material/add:", type="primary",
                disabled=full)
    if full:
        st.caption(f"A pipeline holds at most {MAX_STEPS} steps (the same limit as a shared link).")
