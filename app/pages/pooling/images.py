"""Pooling page section: pool a real image 1 to 4 times, max and mean side by side, clean, noisy or sparse."""

import numpy as np
import streamlit as st

from app.pages.pooling import cache, state
from components.image_source import choose_image
from components.layout import explain
from components.pooling_images import levels_block
from components.pooling_view import view
from models.images import SAMPLE_LABELS
from models.pool_images import MAX_LEVELS, VARIANT_LABELS, VARIANTS, PoolImageError

RULE_OF_THUMB = (
    "Max pooling keeps the strongest response in each window, so sharp, bright features "
    "(and noise spikes!) survive and contrast goes up: good for **sparse** data such as thin lines or edge maps. "
    "Mean pooling averages, so it smooths: noise cancels out, which suits **noisy** data, but thin features fade.")
BLANK = np.zeros((512, 512, 3), dtype=np.float32)  # the canvas of the "sparse lines" variant without an image


def real_images() -> None:
    """Image picker and level settings first (they are drawn on every path), then the pooled levels."""
    pick, opts = st.columns([2, 3])
    with pick:
        # the picker's default is the sample already chosen: a picker drawn again after the other parts of the
        # page starts from its default in the browser, which would otherwise put the astronaut back
        sample = st.session_state.get(state.IMAGE_PICKER[1], "astronaut")
        image = choose_image(state.POOL_IMG, camera=False, default_sample=sample if sample in SAMPLE_LABELS else "astronaut")
    with opts:
        a, b = st.columns(2)
        levels = a.slider("Pooling levels", 1, MAX_LEVELS, key=state.POOL_LEVELS)
        kernel = b.slider("Window (= stride) per level", 2, 4, key=state.POOL_IMG_KERNEL)
        variant = st.radio("Input", VARIANTS, format_func=VARIANT_LABELS.get, key=state.POOL_VARIANT, horizontal=True)
        amount = 0.0
        if variant in ("gaussian", "salt_pepper"):
            label = "Noise σ" if variant == "gaussian" else "Fraction of pixels hit"
            amount = st.slider(label, 0.0, 0.5, step=0.01, key=state.POOL_NOISE)
        explain(RULE_OF_THUMB, label="Max or mean")
    if image is None and variant != "sparse":
        return
    try:
        shown = cache.image_levels(image.rgb if image is not None else BLANK, levels, kernel, variant, amount)
    except PoolImageError as exc:
        st.error(str(exc))
        return
    (h, w) = shown[0][2]
    note = (f"Input <b>{w}x{h}</b> ({VARIANT_LABELS[variant].lower()}); each level pools with a {kernel}x{kernel} "
            f"window and stride {kernel}. Contrast is the standard deviation of the pixel values.")
    view(levels_block(shown, note), "pool_levels_view")
