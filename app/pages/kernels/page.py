"""Kernels page: design a kernel, apply it to any image, and see exactly why each output pixel is what it is.

Layout: a compact column of settings on the left, the input and output images on the right at the top of
the page. Every setting is drawn on every run, before and independently of the image, and lives in state.py.
"""

import logging

import streamlit as st

from app.pages.kernels import cache, state, url_state
from app.pages.kernels.controls import conv_controls
from app.pages.kernels.editor import preset_controls
from app.pages.kernels.explore import explore
from app.pages.kernels.workbench import workbench_fragment
from components.image_source import choose_image
from components.layout import explain, plain
from components.theme import projector
from models.content_id import content_id
from models.images import SAMPLES, to_gray

state.init_defaults()
url_state.restore_once(tuple(SAMPLES))
state.keep_settings()

st.title("Kernels")
st.markdown("A **kernel** is a small grid of weights slid over the image: each output pixel is the sum of the "
            "weights times the pixels under them, plus a bias. Click any output pixel to see that sum.")
for notice in st.session_state.get(state.KERN_URL_NOTICES, []):
    st.warning(plain(notice), icon=":material/link_off:")

try:
    learned = cache.learned_conv1()
except Exception:  # noqa: BLE001 - any load failure only hides the learned presets
    logging.getLogger(__name__).exception("learned conv1 kernels unavailable")
    learned = None
    st.info("The digit CNN's learned conv1 kernels are unavailable, so those presets are hidden.")

# On a projector the settings need more room (bigger type); the images still fit beside them at 1024 px.
settings_col, view_col = st.columns([2, 3] if projector() else [1, 2], gap="medium")
with settings_col:
    loaded = choose_image(state.KERN_IMAGE, camera=True)
    st.segmented_control("Convolve", ("gray", "rgb"), key=state.KERN_COLOUR, required=True, wrap=True,
                         format_func={"gray": "grayscale", "rgb": "each RGB channel"}.get,
                         help="Grayscale: one plane (0.299 R + 0.587 G + 0.114 B). RGB: the same kernel runs on "
                              "each colour channel separately, like a depthwise nn.Conv2d with groups=3.")
    preset_controls(learned)
    conv_controls()

image = None
if loaded is not None:
    image = loaded.rgb if st.session_state.get(state.KERN_COLOUR) == "rgb" else to_gray(loaded.rgb)
with view_col:
    if image is None:
        st.info("Choose an image on the left to see the kernel at work; every setting is kept meanwhile.")
    else:
        sample_in_url = st.session_state.get(state.KERN_SOURCE) in (None, "Sample")
        workbench_fragment(image, content_id(image), sample_in_url, learned)

explain("""
Blurs, sharpening and edge detectors are all just different weights, and the first layer of a CNN learns
its own. Sizes are odd (1, 3, 5, …) so the kernel has an exact centre pixel to sit on.
""", label="What is a kernel?")
if image is not None:
    explore(image)
