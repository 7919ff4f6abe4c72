"""The architecture explorer: the layer editor, its shape table, the depth chart and the exported code."""

import logging

import streamlit as st

from app.pages.anatomy import cache, state
from components import stack_editor
from components.anatomy_depth_svg import depth_chart
from components.anatomy_shape_table import shape_table
from components.theme import projector
from models import architecture as arch
from models import stack_cost
from models.resource_policy import ResourceLimitError

log = logging.getLogger(__name__)


@st.fragment
def explorer() -> None:
    st.header("Architecture explorer")
    for key in (state.ANATOMY_PRESET, state.ANATOMY_INPUT, state.ANATOMY_TORCHINFO):
        st.session_state[key] = st.session_state.get(key, state.DEFAULTS[key])  # kept through every run
    c1, c2 = st.columns(2)
    c1.selectbox("Start from", list(arch.PRESETS), key=state.ANATOMY_PRESET)
    c2.radio("Input image", list(arch.INPUTS), key=state.ANATOMY_INPUT, horizontal=True)
    stack_view()
    stack_details()


@st.fragment
def stack_view() -> None:
    """The editor and the shape table. Its own fragment: an edit reruns only this, so the table is quick."""
    preset = st.session_state[state.ANATOMY_PRESET]
    input_shape = arch.INPUTS[st.session_state[state.ANATOMY_INPUT]]
    resets = st.session_state[state.ANATOMY_RESETS]
    editor_key = f"{state.ANATOMY_EDITOR}_{list(arch.PRESETS).index(preset)}_{resets}"
    left, right = (st.container(), st.container()) if projector() else st.columns([5, 6])
    with left:
        st.caption("Edit any cell (Enter or Tab applies it); **+ Add layer** appends a row, ✕ deletes one. "
                   "Blank pool stride = k.")
        spec = stack_editor.layer_editor(arch.PRESETS[preset], editor_key, input_shape)
    rows = arch.propagate(spec, input_shape)
    st.session_state[state.ANATOMY_SPEC] = (spec, input_shape)
    with right:
        shape_table(rows, input_shape, arch.total_params(rows))
        for problem in arch.stack_problems(rows):
            st.error(problem, icon=":material/error:")
    left.button("Reset to preset", key="anatomy_reset", icon=":material/restart_alt:",
                on_click=lambda: st.session_state.update({state.ANATOMY_RESETS: resets + 1}))


@st.fragment
def stack_details() -> None:
    """Depth chart, trainability and code for the stack in the editor. After an edit the chart asks for
    this fragment's rerun once the table is drawn (components.anatomy_depth_svg), out of the edit's way."""
    spec, input_shape = state.current_spec()
    rows = arch.propagate(spec, input_shape)
    depth_chart(*arch.depth_profile(rows, input_shape), stack_editor.stack_id(spec, input_shape),
                key=state.ANATOMY_DEPTH)
    if arch.stack_problems(rows):
        st.warning("Fix the flagged rows to export the stack as PyTorch code.")
        return
    reason = arch.trainable_reason(rows, input_shape)
    st.caption("This stack can be trained below (choose *My designed stack*)." if reason is None
               else f"Training below uses the digit CNN: {reason}")
    st.markdown("**PyTorch code** (`nn.Sequential`)")
    st.code(arch.to_code(spec, input_shape), language="python")
    if st.toggle("Check the code with torchinfo", key=state.ANATOMY_TORCHINFO):
        torchinfo_check(spec, input_shape, rows)


def torchinfo_check(spec: list[arch.Layer], input_shape: tuple[int, int, int], rows: list[arch.Row]) -> None:
    """Run torchinfo on the exported model (once its forward pass is known to fit) and compare with the table."""
    try:
        stack_cost.check_forward(rows, input_shape)
        info_rows, total, text = cache.torchinfo(tuple(spec), tuple(input_shape))
    except ResourceLimitError as err:
        st.error(str(err), icon=":material/memory:")
        return
    except Exception:  # noqa: BLE001 - a short message on the page, the details in the server log
        log.exception("torchinfo failed")
        st.error("torchinfo could not summarise this stack.")
        return
    same = info_rows == [(r.shape, r.params) for r in rows] and total == arch.total_params(rows)
    (st.success if same else st.error)(
        f"torchinfo {'agrees' if same else 'DISAGREES'} with the table: {total:,} parameters, "
        f"output {arch.shape_text(info_rows[-1][0])}.")
    st.code(text, language="text")
