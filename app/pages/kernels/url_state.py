"""Session state <-> URL for the Kernels page: restore a shared link once, keep the URL current after."""

from dataclasses import asdict

import numpy as np
import streamlit as st

from app.pages.kernels import state
from components.kernel_display import CHANNELS
from components.theme import projector
from models.kernel_url import KernelState, decode, encode

# KernelState field -> session-state key of the widget holding it
FIELD_KEYS = {
    "image": state.KERN_SAMPLE, "colour": state.KERN_COLOUR, "preset": state.KERN_PRESET, "size": state.KERN_SIZE,
    "sigma": state.KERN_SIGMA, "length": state.KERN_LENGTH, "angle": state.KERN_ANGLE, "seed": state.KERN_SEED,
    "normalise": state.KERN_NORMALISE, "bias": state.KERN_BIAS, "padding": state.KERN_PADDING,
    "stride": state.KERN_STRIDE, "dilation": state.KERN_DILATION, "flip": state.KERN_FLIP, "view": state.KERN_VIEW,
    "magnitude": state.KERN_MAGNITUDE, "row": state.KERN_ROW, "col": state.KERN_COL,
}


def restore_once(image_names) -> None:
    """On the session's first run of this page, put the URL's state (or the defaults) into session state."""
    ss = st.session_state
    if ss.get(state.KERN_URL_DONE):
        return
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "projector"}
    restored, notices = decode(params, image_names)
    for name, key in FIELD_KEYS.items():
        ss[key] = getattr(restored, name)
    ss[state.KERN_CHANNEL] = CHANNELS[restored.channel]
    if restored.kernel is not None:
        ss[state.KERN_CUSTOM] = np.array(restored.kernel, dtype=np.float64)
        ss[state.KERN_PRESET] = "custom"
    ss[state.KERN_URL_NOTICES] = notices
    ss[state.KERN_URL_DONE] = True


def sync(base: np.ndarray, sample_in_url: bool) -> None:
    """Write the whole state to the URL; the kernel only when edited away from its preset `base`."""
    ss = st.session_state
    values = {name: ss.get(key) for name, key in FIELD_KEYS.items()}
    values["channel"] = CHANNELS.index(ss.get(state.KERN_CHANNEL) or "red")
    current = ss.get(state.KERN_CURRENT)
    kernel = current[0] if current is not None else base
    if ss.get(state.KERN_PRESET) == "custom" or kernel.shape != base.shape or not np.array_equal(kernel, base):
        values["kernel"] = tuple(tuple(float(v) for v in row) for row in kernel)
    defaults = asdict(KernelState())
    values = {k: (v if v is not None else defaults[k]) for k, v in values.items()}
    if not sample_in_url:
        values["image"] = KernelState.image
    params = encode(KernelState(**values), {"projector": "1"} if projector() else None)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
