"""Transforms page: chain torchvision v2 transforms, see every stage, sample the randomness, export the
code, and feed a DataLoader. Maths in models/pipeline*.py; widgets in components/; sections here."""

import streamlit as st

from app.pages.transforms import actions, cache, state
from app.pages.transforms.editor import editor
from app.pages.transforms.url_state import load_from_url
from app.pages.transforms.view import Picture, view
from components.image_source import choose_image
from components.layout import explain
from components.theme import projector
from models.content_id import content_id
from models.images import SAMPLES
from models.pipeline import to_pil
from models.pipeline_io import image_source_line

st.title("Transforms")
explain("Build a **torchvision.transforms.v2** pipeline step by step. Every stage shows what the image *is* "
        "(PIL image, plain tensor or tv_tensors.Image), its shape, dtype and value range. Random steps show "
        "what they drew; a step that cannot run says why, at that step. Export the exact code, or feed the "
        "pipeline to a Dataset and a DataLoader.")

load_from_url()
state.init_defaults()
cache.worker_pool()  # starts the worker processes (the random grid runs there) on the first visit

top = st.columns([1, 1])
with top[0]:
    loaded = choose_image(state.IMAGE_PREFIX, camera=False, default_sample="astronaut")
with top[1]:
    st.selectbox("Preset", actions.preset_names(), key=state.PRESET, on_change=actions.on_preset,
                 help="Choosing a preset replaces the steps with it.")
    with st.container(horizontal=True):
        st.button("Reload preset", on_click=actions.on_preset, key="tf_reload_preset", icon=":material/restart_alt:",
                  help="Replace the steps with the chosen preset again.")
        st.button("Clear", on_click=actions.on_clear, key="tf_clear", icon=":material/clear_all:",
                  help="Remove every step.")

picture = None
if loaded is not None:
    image = to_pil(loaded.rgb)
    sample_file = SAMPLES.get(loaded.name)
    picture = Picture(image, content_id(image.tobytes(), image.size),
                      image_source_line(f"assets/samples/{sample_file}" if sample_file else loaded.name,
                                        sample_file is not None, loaded.notes))

left, right = (st.container(), st.container()) if projector() else st.columns([1, 2])
with left:
    editor()
with right:
    view(picture)
