"""Kernels page: design a kernel, apply it to any image, and see exactly why each output pixel is what it is."""

import hashlib

import streamlit as st

from app import cache, state
from components.image_source import choose_image
from components import kernel_url_state
from components.kernel_animation import animation_playing, animation_still
from components.kernel_sections import gaussian_explorer, noise_comparison
from components.kernel_workbench import workbench_fragment
from components.layout import explain
from models.images import SAMPLES, to_gray

projector = state.projector_on()
st.title("Kernels")
explain("""
A **kernel** is a small grid of weights. Convolution slides it over the image; at each position it multiplies
every weight with the pixel under it and adds the products (plus a bias). That sum is one output pixel.
Blurs, sharpening and edge detectors are all just different weights, and the first layer of a CNN learns
its own. Sizes are odd (1, 3, 5, …) so the kernel has an exact centre pixel to sit on.
""", projector, "What is a kernel?")

kernel_url_state.restore_once(tuple(SAMPLES))
for notice in st.session_state.get(state.KERN_URL_NOTICES, []):
    st.warning(notice, icon=":material/link_off:")

try:
    learned = cache.learned_conv1()
except Exception as exc:  # noqa: BLE001 - any load failure only hides the learned presets
    learned = None
    st.info(f"The digit CNN's learned conv1 kernels are unavailable, so those presets are hidden ({exc}).")

st.header("1. Pick an image")
pick, mode = st.columns([3, 2], gap="large")
with pick:
    loaded = choose_image(state.KERN_IMAGE, camera=True)
with mode:
    st.segmented_control("Convolve", ("gray", "rgb"), key=state.KERN_COLOUR, required=True, wrap=True,
                         format_func={"gray": "grayscale", "rgb": "each RGB channel (depthwise)"}.get)
    st.caption("Grayscale: one plane (0.299 R + 0.587 G + 0.114 B). RGB: the same kernel runs on each colour "
               "channel separately, like a depthwise nn.Conv2d with groups=3.")

if loaded is None:
    st.stop()

colour = st.session_state.get(state.KERN_COLOUR) or "gray"
image = loaded.rgb if colour == "rgb" else to_gray(loaded.rgb)
image_id = hashlib.blake2b(image.tobytes(), digest_size=12).hexdigest() + f"{image.shape}"
sample_in_url = st.session_state.get(f"{state.KERN_IMAGE}_source", "Sample") in (None, "Sample")

st.header("2. Design the kernel and convolve")
workbench_fragment(image, image_id, sample_in_url, projector, learned)

st.header("3. Explore")
# Lazy tabs: only the open one is built and sent, so every kernel edit above redraws less.
slide_tab, gauss_tab, noise_tab = st.tabs(["Sliding window", "2D Gaussian", "Linear vs non-linear filters"],
                                          key=state.KERN_EXPLORE_TAB, on_change="rerun")
if slide_tab.open:
    with slide_tab:
        plane = image if image.ndim == 2 else image[..., 0]
        if image.ndim == 3:
            st.caption("RGB image: the animation slides over the red channel.")
        (animation_playing if st.session_state.get(state.KERN_ANIM_PLAY) else animation_still)(plane, projector)
if gauss_tab.open:
    with gauss_tab:
        gaussian_explorer(projector)
if noise_tab.open:
    with noise_tab:
        noise_comparison(image)
