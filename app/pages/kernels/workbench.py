"""The Kernels page's main fragment: the input and output images with the pixel inspector, the weights grid,
the output-size formula, the kernel pictures and the export. Editing a weight reruns only this fragment."""

import numpy as np
import streamlit as st

from app.pages.kernels import cache, state, url_state
from app.pages.kernels.controls import FLIP_EXPLANATION, conv_options, formula
from app.pages.kernels.editor import CUSTOM, base_kernel, grid_editor
from app.pages.kernels.export import export_section
from app.pages.kernels.inspector import display_size, inspector
from components.kernel_display import CHANNELS, colour_output, fit
from components.kernel_panels import panels_html
from components.layout import explain, plain
from components.media import bytes_url, picture_url
from components.trusted_html import trusted_html
from models.convolution import (
    ConvSettings,
    check_convolution,
    display_values,
    effective_kernel,
    frequency_response,
    gradient_magnitude,
    histogram,
)
from models.kernels import (
    GRADIENT_PAIRS,
    AllZeroKernel,
    KernelError,
    PresetParams,
    check_bias,
    make_preset,
    normalise,
    suggested_view,
    validate,
)
from models.resource_policy import ResourceLimitError

inspector_fragment = st.fragment(inspector)
VIEW_WORDS = {"clipped": "grey, clipped to 0..1", "absolute": "grey, absolute value", "stretch": "grey, min–max stretched",
              "diverging": "signed colours"}


def _checked_kernel(raw: np.ndarray, want_normalised: bool) -> np.ndarray | None:
    """Validated (and optionally normalised) kernel, or None after showing why it cannot be used."""
    try:
        kernel = validate(raw)
    except AllZeroKernel as exc:
        st.warning(plain(exc))
        return raw.astype(np.float64)
    except KernelError as exc:
        st.error(plain(exc))
        return None
    if want_normalised:
        try:
            kernel = normalise(kernel)
        except KernelError as exc:
            st.info(plain(exc))
    return kernel


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


def kernel_view(image: np.ndarray, image_id: str, sample_in_url: bool, learned) -> None:
    """Images and inspector on top, then the weights grid and formula, then the kernel pictures and export.
    Settings come from session state, so this fragment can rerun alone. image: (H,W) or (H,W,3) float32 0..1."""
    ss = st.session_state
    if ss.pop(state.KERN_REDRAW, False):
        st.rerun()  # typed text switched the preset, or a new seed the bias: redraw the settings too
    preset = ss.get(state.KERN_PRESET) or "sobel x"
    opts = conv_options(preset in GRADIENT_PAIRS)
    pictures = st.container()
    grid_col, info_col = st.columns([1, 1], gap="medium")
    with grid_col:
        raw = grid_editor(preset, learned)
    try:
        base = base_kernel(preset, learned)[0]
    except KernelError:
        base = raw
    ss[state.KERN_CURRENT] = (raw, None, None)
    with pictures:
        kernel = _checked_kernel(raw, opts["normalise"])
        try:
            settings = ConvSettings(opts["padding"], opts["stride"], opts["dilation"], opts["flip"],
                                    check_bias(opts["bias"]))
        except KernelError as exc:
            st.error(plain(exc))
            kernel = None
    if kernel is None:
        url_state.sync(base, sample_in_url)
        return
    ss[state.KERN_CURRENT] = (raw, kernel, settings)
    k = kernel.shape[0]
    h, w = image.shape[:2]
    channels = 1 if image.ndim == 2 else image.shape[2]
    with info_col:
        formula(h, w, k, settings.pad(k), settings.stride, settings.dilation)
    magnitude = opts["magnitude"] and preset in GRADIENT_PAIRS and preset != CUSTOM
    try:
        check_convolution(h, w, channels, k, settings, repeats=2 if magnitude else 1)
        out = _convolve(image_id, image, kernel, settings)
    except (KernelError, ResourceLimitError) as exc:
        pictures.error(plain(exc))
        url_state.sync(base, sample_in_url)
        return
    shown_values, gy, caption = out, None, ""
    if magnitude:
        pair = make_preset(GRADIENT_PAIRS[preset], PresetParams())[0]
        gy = _convolve(image_id, image, pair, settings)
        shown_values = gradient_magnitude(out, gy)
        caption = f"Showing √(gx² + gy²) with {preset} and {GRADIENT_PAIRS[preset]}. "
    view, why = _view(opts["view"], effective_kernel(kernel, settings), magnitude)
    values, vmin, vmax = display_values(shown_values, view)
    channel = CHANNELS.index(ss.get(state.KERN_CHANNEL) or "red")
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
        inspector_fragment(image, urls, shown_values, kernel, settings, (why, caption), gy, (base, sample_in_url))
    trusted_html(panels_html(effective_kernel(kernel, settings), "Kernel as applied" + (" (flipped 180°)" if settings.flip
                        else ""), *histogram(shown_values), vmin, vmax, frequency_response(kernel)),
                 "kern_panels")
    explain("The centre of this map is the zero frequency (flat areas), the edges the "
            "finest checkerboard detail. A blur is bright in the middle and dark outside (low-pass: it keeps "
            "smooth regions, removes detail). An edge detector is dark in the middle (flat areas → 0) and bright "
            "outside (high-pass).", label="Frequency response")
    if settings.flip:
        explain(FLIP_EXPLANATION, label="Cross-correlation vs convolution")
    export_section(kernel, settings, image.ndim == 3)
    url_state.sync(base, sample_in_url)


workbench_fragment = st.fragment(kernel_view)
