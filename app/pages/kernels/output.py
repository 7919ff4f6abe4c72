"""The Kernels page's output: convolve, choose the view, make the pictures and show them with the inspector.

The workbench fragment calls this before it draws the weights grid, so after an edit the new output is the
first thing sent to the browser (the grid already shows the edit)."""

import numpy as np
import streamlit as st

from app.pages.kernels import cache, state
from app.pages.kernels.inspector import display_size, inspector
from components.kernel_display import CHANNELS, colour_output, fit
from components.layout import plain
from components.media import bytes_url, picture_url
from models.convolution import (
    ConvSettings,
    check_convolution,
    display_values,
    effective_kernel,
    gradient_magnitude,
)
from models.kernels import GRADIENT_PAIRS, KernelError, PresetParams, make_preset, suggested_view
from models.resource_policy import ResourceLimitError

inspector_fragment = st.fragment(inspector)
VIEW_WORDS = {"clipped": "grey, clipped to 0..1", "absolute": "grey, absolute value", "stretch": "grey, min–max stretched",
              "diverging": "signed colours"}


def _convolve(image_id: str, image: np.ndarray, kernel: np.ndarray, settings: ConvSettings):
    return cache.kernel_output(image_id, image, np.ascontiguousarray(kernel, dtype=np.float64).tobytes(),
                               kernel.shape[0], settings)


def _view(chosen: str, kernel: np.ndarray, magnitude: bool) -> tuple[str, str]:
    """(display mode, one-line reason) for the view the student chose or, for "auto", the kernel suits."""
    if chosen != "auto":
        return chosen, f"Shown {VIEW_WORDS[chosen]}, as chosen on the left (pick “to suit the kernel” to let ConvLab choose)."
    if magnitude:
        return "stretch", "A gradient magnitude is never negative, so grey is stretched from 0 to the strongest edge."
    return suggested_view(kernel)


def output_view(pictures, image: np.ndarray, image_id: str, kernel: np.ndarray, settings: ConvSettings,
                opts: dict, magnitude_of: str | None, url_args: tuple):
    """Convolve and show the input/output pair with the inspector in `pictures` (or why it cannot run).

    image: (H,W) or (H,W,3) float32 0..1; magnitude_of: the preset whose gradient pair gives the magnitude
    (None: the plain output). Returns (the values shown (Ho,Wo) or (Ho,Wo,3), vmin, vmax), or None.
    """
    h, w = image.shape[:2]
    channels = 1 if image.ndim == 2 else image.shape[2]
    try:
        check_convolution(h, w, channels, kernel.shape[0], settings, repeats=2 if magnitude_of else 1)
        out = _convolve(image_id, image, kernel, settings)
    except (KernelError, ResourceLimitError) as exc:
        pictures.error(plain(exc))
        return None
    shown_values, gy, caption = out, None, ""
    if magnitude_of:
        pair = make_preset(GRADIENT_PAIRS[magnitude_of], PresetParams())[0]
        gy = _convolve(image_id, image, pair, settings)
        shown_values = gradient_magnitude(out, gy)
        caption = f"Showing √(gx² + gy²) with {magnitude_of} and {GRADIENT_PAIRS[magnitude_of]}. "
    view, why = _view(opts["view"], effective_kernel(kernel, settings), bool(magnitude_of))
    values, vmin, vmax = display_values(shown_values, view)
    channel = CHANNELS.index(st.session_state.get(state.KERN_CHANNEL) or "red")
    shown = colour_output(values, vmin, vmax, diverging=view == "diverging", channel=channel)
    caption += f"Output values range {float(shown_values.min()):.3f} … {float(shown_values.max()):.3f}; " \
               f"{vmin:.3g} → {'blue' if view == 'diverging' else 'black'}, " \
               f"{vmax:.3g} → {'red' if view == 'diverging' else 'white'}."
    if view == "diverging" and image.ndim == 3:
        caption += f" Signed colours show one channel at a time: {CHANNELS[channel]} (pick it below)."
    dh, dw = display_size(h, w)
    enlarged = dh > 1.5 * h  # big flat pixel blocks: sent exact (BMP) rather than as JPEG
    urls = (bytes_url(cache.kernel_input_picture(image_id, image, dh, dw), "kernels.input"),
            picture_url(fit(shown, dh, dw), "kernels.output", exact=enlarged))
    with pictures:
        inspector_fragment(image, urls, shown_values, kernel, settings, (why, caption), gy, url_args)
    return shown_values, vmin, vmax
