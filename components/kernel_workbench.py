"""The Kernels page's main fragment: design the kernel, set the convolution, see and inspect the output."""

import numpy as np
import streamlit as st

from app import cache, state
from components import kernel_url_state
from components.kernel_controls import FLIP_EXPLANATION, conv_controls, conv_options, formula
from components.kernel_display import CHANNELS, colour_output, fit
from components.kernel_editor import CUSTOM, base_kernel, grid_editor, preset_controls
from components.kernel_export_ui import export_section
from components.kernel_panels import panels_html
from components.layout import explain
from components.media import bytes_url, picture_url
from components.pixel_inspector import display_size, inspector
from components.trusted_html import trusted_html
from models.convolution import (
    ConvSettings,
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
    validate,
)

inspector_fragment = st.fragment(inspector)


def _checked_kernel(raw: np.ndarray, want_normalised: bool) -> np.ndarray | None:
    """Validated (and optionally normalised) kernel, or None after showing why it cannot be used."""
    try:
        kernel = validate(raw)
    except AllZeroKernel as exc:
        st.warning(str(exc))
        return raw.astype(np.float64)
    except KernelError as exc:
        st.error(str(exc))
        return None
    if want_normalised:
        try:
            kernel = normalise(kernel)
        except KernelError as exc:
            st.info(str(exc))
    return kernel


def _convolve(image_id: str, image: np.ndarray, kernel: np.ndarray, settings: ConvSettings):
    return cache.kernel_output(image_id, image, np.ascontiguousarray(kernel, dtype=np.float64).tobytes(),
                               kernel.shape[0], settings)


def workbench(image: np.ndarray, image_id: str, sample_in_url: bool, projector: bool, learned) -> None:
    """The settings (preset and convolution), then the kernel view, a fragment of its own so that editing
    a weight redraws only the grid and what it changes. image: (H,W) gray or (H,W,3) RGB float32 in [0,1]."""
    preset = st.session_state.get(state.KERN_PRESET) or "sobel x"
    left, right = (st.container(), st.container()) if projector else st.columns([1, 1], gap="large")
    with left:
        preset_controls(learned)
    with right:
        conv_controls(preset in GRADIENT_PAIRS, projector)
    kernel_view_fragment(image, image_id, sample_in_url, projector, learned)


def kernel_view(image: np.ndarray, image_id: str, sample_in_url: bool, projector: bool, learned) -> None:
    """Weights grid, output size, output and inspector, kernel pictures, export. Settings come from
    session state, so this fragment can rerun alone."""
    ss = st.session_state
    if ss.pop(state.KERN_REDRAW, False):
        st.rerun()  # typed text switched the preset, or a new seed the bias: redraw the settings above too
    preset = ss.get(state.KERN_PRESET) or "sobel x"
    opts = conv_options(preset in GRADIENT_PAIRS)
    grid_col, info_col = (st.container(), st.container()) if projector else st.columns([1, 1], gap="large")
    with grid_col:
        raw = grid_editor(preset, learned, projector)
    try:
        base = base_kernel(preset, learned)[0]
    except KernelError:
        base = raw
    ss[state.KERN_CURRENT] = (raw, None, None)
    kernel = _checked_kernel(raw, opts["normalise"])
    try:
        settings = ConvSettings(opts["padding"], opts["stride"], opts["dilation"], opts["flip"],
                                check_bias(opts["bias"]))
    except KernelError as exc:
        st.error(str(exc))
        kernel = None
    if kernel is None:
        kernel_url_state.sync(base, sample_in_url, projector)
        return
    ss[state.KERN_CURRENT] = (raw, kernel, settings)
    k = kernel.shape[0]
    h, w = image.shape[:2]
    with info_col:
        formula(h, w, k, settings.pad(k), settings.stride, settings.dilation)
    try:
        out = _convolve(image_id, image, kernel, settings)
    except KernelError as exc:
        st.error(str(exc))
        kernel_url_state.sync(base, sample_in_url, projector)
        return
    shown_values, gy, caption = out, None, ""
    if opts["magnitude"] and preset in GRADIENT_PAIRS and preset != CUSTOM:
        pair = make_preset(GRADIENT_PAIRS[preset], PresetParams())[0]
        gy = _convolve(image_id, image, pair, settings)
        shown_values = gradient_magnitude(out, gy)
        caption = f"Showing √(gx² + gy²) with {preset} and {GRADIENT_PAIRS[preset]}. "
    view = opts["view"]
    values, vmin, vmax = display_values(shown_values, view)
    channel = CHANNELS.index(ss.get(state.KERN_CHANNEL) or "red")
    shown = colour_output(values, vmin, vmax, diverging=view == "diverging", channel=channel)
    caption += f"Output values range {float(shown_values.min()):.3f} … {float(shown_values.max()):.3f}; " \
               f"shown {view}: {vmin:.3g} → darkest/blue, {vmax:.3g} → brightest/red."
    if view == "diverging" and image.ndim == 3:
        caption += f" The diverging scale shows one channel at a time: {CHANNELS[channel]} (pick it below)."
    dh, dw = display_size(h, w)
    enlarged = dh > 1.5 * h  # big flat pixel blocks: sent exact (BMP) rather than as JPEG
    urls = (bytes_url(cache.kernel_input_picture(image_id, image, dh, dw), "kernels.input"),
            picture_url(fit(shown, dh, dw), "kernels.output", exact=enlarged))
    inspector_fragment(image, urls, shown_values, kernel, settings, caption, projector, gy,
                       (base, sample_in_url, projector))
    trusted_html(panels_html(effective_kernel(kernel, settings), "Kernel as applied" + (" (flipped 180°)" if settings.flip
                        else ""), *histogram(shown_values), vmin, vmax, frequency_response(kernel), projector),
                 "kern_panels")
    explain("**Frequency response.** The centre of this map is the zero frequency (flat areas), the edges the "
            "finest checkerboard detail. A blur is bright in the middle and dark outside (low-pass: it keeps "
            "smooth regions, removes detail). An edge detector is dark in the middle (flat areas → 0) and bright "
            "outside (high-pass).", projector, "About the frequency response")
    if settings.flip:
        explain(FLIP_EXPLANATION, projector, "Cross-correlation vs convolution")
    export_section(kernel, settings, image.ndim == 3)
    kernel_url_state.sync(base, sample_in_url, projector)
kernel_view_fragment = st.fragment(kernel_view)
workbench_fragment = st.fragment(workbench)
