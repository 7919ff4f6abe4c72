"""Transforms page: chain torchvision v2 transforms, see every stage, sample the randomness, export the
code, and feed a DataLoader. Logic lives in models/pipeline*.py; widgets in components/."""

import hashlib

import streamlit as st

from app import cache, state
from components.image_source import choose_image
from components import transform_controls as ctl
from components.layout import explain
from components.pipeline_editor import catalogue_names, render_steps
from components.stage_strip import render_strip
from components.transform_dataset_panel import render_dataset
from components.transform_export import image_line, render_export
from components.transform_outcomes import render_outcomes
from models.images import SAMPLES
from models.pipeline import to_pil
from models.pipeline_io import MAX_SEED, encode_url

TABS = ("Stages", "Random outcomes", "Export & share", "Dataset & DataLoader")

projector = state.projector_on()
st.title("Transforms")
explain("Build a `torchvision.transforms.v2` pipeline step by step. Every stage shows what the image *is* "
        "(PIL image, plain tensor or `tv_tensors.Image`), its shape, dtype and value range. Random steps show "
        "what they drew; a step that cannot run says why, at that step. Export the exact code, or feed the "
        "pipeline to a `Dataset` and `DataLoader`.", projector)

ctl.init()

top = st.columns([1, 1])
with top[0]:
    loaded = choose_image("tf_img", camera=False, default_sample="astronaut")
with top[1]:
    st.selectbox("Preset", ctl.preset_names(), index=ctl.preset_names().index(ctl.DEFAULT_PRESET),
                 key=state.TF_PRESET)
    with st.container(horizontal=True):
        st.button("Load preset", on_click=ctl.on_preset, key="tf_load_preset", icon=":material/playlist_add:")
        st.button("Clear", on_click=ctl.on_clear, key="tf_clear", icon=":material/clear_all:")

if loaded is None:
    st.stop()
image = to_pil(loaded.rgb)
image_id = hashlib.md5(image.tobytes()).hexdigest() + str(image.size)
sample_file = SAMPLES.get(loaded.name) if loaded.name in SAMPLES else None
code_line = image_line(sample_file or loaded.name, sample_file is not None, loaded.notes)


@st.fragment(key=ctl.EDITOR)
def editor() -> None:
    """The step cards and the Add row. A card's widgets redraw the open tab (see transform_controls)."""
    st.subheader("Pipeline")
    with st.container(height=720 if not projector else 560, key="tf_editor"):
        render_steps(st.session_state[state.TF_STEPS], state.TF_STEP_PREFIX, projector, 4 if projector else 2,
                     ctl.refresh)
    c = st.columns([3, 2], vertical_alignment="bottom")
    c[0].selectbox("Add a step", catalogue_names(), key=state.TF_ADD,
                   help="Lambda steps come from a fixed menu (invert, threshold, gamma, add noise): "
                        "ConvLab never runs code typed into the page.")
    c[1].button("Add", on_click=ctl.on_add, key="tf_add_btn", icon=":material/add:", type="primary")


@st.fragment(key=ctl.VIEW)
def view() -> None:
    """Seed and tabs, then the open tab in its own fragment (BODY), which a parameter change redraws alone."""
    ctl.start_clock()
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input("Seed", 0, MAX_SEED, key=state.TF_SEED, width=240,
                        help="One torch.manual_seed(seed) before the whole pipeline, as the exported code does.")
        st.button("Resample (new seed)", on_click=ctl.on_resample, key="tf_resample", icon=":material/casino:")
    tabs = st.tabs(TABS, key=state.TF_TAB, on_change="rerun")
    for k, tab in enumerate(tabs):
        with tab:
            if tab.open:
                body(k)


@st.fragment(key=ctl.BODY)
def body(tab: int) -> None:
    """The open tab (index into TABS): stage strip, random grid, export, or Dataset & DataLoader."""
    ctl.start_clock()
    ctl.show_notice()
    steps = st.session_state[state.TF_STEPS]
    seed = int(st.session_state[state.TF_SEED])
    ctl.sync_url(steps, seed)
    code = encode_url(steps, seed)
    if tab == 0:
        render_strip(cache.tf_stages(image_id, image, code, steps, seed), 3 if projector else 4, projector)
    elif tab == 1:
        n = st.slider("Outcomes", 8, 16, 12, step=4, key=state.TF_GRID_N)
        st.caption(f"Seeds {seed} to {seed + n - 1}: the same pipeline run {n} times. Random steps "
                   "list what their make_params drew.")
        render_outcomes(cache.tf_outcomes(image_id, image, code, steps, seed, n), 3 if projector else 4, projector)
    elif tab == 2:
        render_export(steps, seed, code_line, state.TF_IMPORT, ctl.on_import, projector)
    else:  # the DataLoader tab ends with its own fragment, which places the marker
        render_dataset(steps, projector, ctl.on_mnist_preset)
        return
    ctl.done_marker()


left, right = (st.container(), st.container()) if projector else st.columns([1, 2])
with left:
    editor()
with right:
    view()
