"""Pooling: window size, stride, padding and dilation made visible: overlap, gaps, downsampling, gradients."""

import streamlit as st

from app.pages.pooling import state
from app.pages.pooling.controls import preset_buttons, settings_controls
from app.pages.pooling.images import real_images
from app.pages.pooling.receptive_field import receptive_field
from app.pages.pooling.results import results
from app.pages.pooling.source import source_controls
from components.layout import explain

state.init_defaults()
state.keep_settings()

st.title("Pooling")
st.markdown("A pooling layer slides a small **window** over its input and keeps one number per window: the "
            "largest (**max**), the average (**mean**), the smallest (**min**) or a power average (**Lp**). "
            "The **stride** decides how far the window jumps, so it decides whether windows **overlap** "
            "or leave **gaps**, and how much the image shrinks.")
explain("Pick a grid, then change the kernel and stride (or click one of the classic "
        "pictures). Press **Play** to watch the window walk over the input. The **coverage map** shows which "
        "input cells are seen once, several times, or never. Further down: where the gradient goes in the "
        "backward pass. The switch above the demo also shows pooling on real photos and the receptive field of a "
        "small CNN.", label="How to use this page")


@st.fragment
def image_section() -> None:
    state.keep_settings()
    st.header("On real images")
    real_images()


@st.fragment
def rf_section() -> None:
    state.keep_settings()
    st.header("Receptive field: how much of the input one unit sees")
    explain("Each conv or pool layer widens what one unit can see. The **receptive field** grows by (kernel − 1) × "
            "jump at every layer, and the **jump** (the distance on the input between neighbouring units) multiplies "
            "by the stride. Pooling with stride 2 doubles the jump, so every later layer widens the view twice as fast.",
            label="How the receptive field grows")
    receptive_field()


# A switch rather than st.tabs: the tab panel re-scans its whole subtree for focusable elements on every DOM
# change, which cost ~12 ms per grid interaction (paired runs); only the chosen part is built.
SECTIONS = {"grid": "Grid demo", "images": "On real images", "rf": "Receptive field"}
section = st.segmented_control("Part of the page", list(SECTIONS), format_func=SECTIONS.get, key=state.POOL_SECTION,
                               required=True, label_visibility="collapsed")
if section == "images":
    image_section()
elif section == "rf":
    rf_section()
else:  # sibling fragments: a control reruns only the parts it changes
    st.header("The grid demo")
    source_controls()
    preset_buttons()
    settings_controls()
    results()
