"""Pooling: window size, stride, padding and dilation made visible: overlap, gaps, downsampling, gradients."""

import streamlit as st

from app import state
from components.layout import explain
from components.pooling_figures import input_figure
from components.pooling_grid import show
from components.pooling_section_controls import init_defaults, read_grid, read_spec
from components.pooling_section_demo import analyse, backward, coverage_and_summary, step_through
from components.pooling_section_images import real_images
from components.pooling_section_rf import receptive_field
from models.pooling import PoolingError, check_input

projector = state.projector_on()
init_defaults()

st.title("Pooling")
st.markdown("A pooling layer slides a small **window** over its input and keeps one number per window: the "
            "largest (**max**), the average (**mean**), the smallest (**min**) or a power average (**Lp**). "
            "The **stride** decides how far the window jumps, so it decides whether windows **overlap** "
            "or leave **gaps**, and how much the image shrinks.")
explain("How to use this page: pick a grid, then change the kernel and stride (or click one of the classic "
        "pictures). Press **Play** to watch the window walk over the input. The **coverage map** shows which "
        "input cells are seen once, several times, or never. Further down: the same on real photos, the "
        "receptive field of a small CNN, and where the gradient goes in the backward pass.", projector,
        label="How to use this page")


@st.fragment
def grid_demo() -> None:
    st.header("The grid demo")
    x = read_grid()
    spec = read_spec(projector)
    if x is None:
        return
    try:
        x = check_input(x, spec)
        values, wins, cov, summary = analyse(x, spec) if spec else (None, [], None, None)
    except PoolingError as exc:
        st.error(str(exc), icon=":material/error:")
        spec = None
    if spec is None:
        st.markdown("**Input** (fix the setting above to see the pooling):")
        show(input_figure(x, None, [], None, projector))
        return
    st.subheader("Step through the windows")
    step_through(x, spec, values, wins, projector)
    coverage_and_summary(x, spec, cov, summary, projector)
    backward(x, spec, values, projector)


@st.fragment
def image_section() -> None:
    st.header("On real images")
    real_images(projector)


@st.fragment
def rf_section() -> None:
    st.header("Receptive field: how much of the input one unit sees")
    explain("Each conv or pool layer widens what one unit can see. The **receptive field** grows by (kernel − 1) × "
            "jump at every layer, and the **jump** (the distance on the input between neighbouring units) multiplies "
            "by the stride. Pooling with stride 2 doubles the jump, so every later layer widens the view twice as fast.",
            projector, label="How the receptive field grows")
    receptive_field(projector)


grid_tab, image_tab, rf_tab = st.tabs(["Grid demo", "On real images", "Receptive field"])
with grid_tab:
    grid_demo()
with image_tab:
    image_section()
with rf_tab:
    rf_section()
