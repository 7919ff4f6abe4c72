"""The Kernels page's main fragment: the input and output images with the pixel inspector, the weights grid,
the output-size formula, the kernel pictures and the export. Editing a weight reruns only this fragment.

The kernel is read from the grid's state first and the output goes out first; the grid and the rest follow."""

import numpy as np
import streamlit as st

from app.pages.kernels import state, url_state
from app.pages.kernels.controls import FLIP_EXPLANATION, conv_options, formula
from app.pages.kernels.editor import CUSTOM, base_kernel, edited_kernel, grid_editor
from app.pages.kernels.export import export_section
from app.pages.kernels.output import output_view
from components.kernel_panels import panels_html
from components.layout import explain, plain
from components.trusted_html import trusted_html
from models.convolution import ConvSettings, effective_kernel, frequency_response, histogram
from models.kernels import GRADIENT_PAIRS, AllZeroKernel, KernelError, check_bias, normalise, validate


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


def _kernel_and_settings(raw: np.ndarray, opts: dict) -> tuple[np.ndarray | None, ConvSettings | None]:
    """The kernel as applied and the convolution settings, or (None, None) after showing what is wrong."""
    kernel = _checked_kernel(raw, opts["normalise"])
    try:
        settings = ConvSettings(opts["padding"], opts["stride"], opts["dilation"], opts["flip"],
                                check_bias(opts["bias"]))
    except KernelError as exc:
        st.error(plain(exc))
        return None, None
    return (None, None) if kernel is None else (kernel, settings)


def kernel_view(image: np.ndarray, image_id: str, sample_in_url: bool, learned) -> None:
    """Images and inspector on top, then the weights grid and formula, then the kernel pictures and export.
    Settings come from session state, so this fragment can rerun alone. image: (H,W) or (H,W,3) float32 0..1."""
    ss = st.session_state
    if ss.pop(state.KERN_REDRAW, False):
        st.rerun()  # typed text switched the preset, or a new seed the bias: redraw the settings too
    preset = ss.get(state.KERN_PRESET) or "sobel x"
    opts = conv_options(preset in GRADIENT_PAIRS)
    pictures = st.container()
    raw = edited_kernel(preset, learned)
    # From 5x5 up the grid needs the whole width to show every digit; the formula goes under it.
    grid_col, info_col = st.columns([1, 1], gap="medium") if raw.shape[0] < 5 else (st.container(), st.container())
    try:
        base = base_kernel(preset, learned)[0]
    except KernelError:
        base = raw
    ss[state.KERN_CURRENT] = (raw, None, None)
    with pictures:
        kernel, settings = _kernel_and_settings(raw, opts)
    shown = None
    if kernel is not None:
        ss[state.KERN_CURRENT] = (raw, kernel, settings)
        magnitude = opts["magnitude"] and preset in GRADIENT_PAIRS and preset != CUSTOM
        shown = output_view(pictures, image, image_id, kernel, settings, opts, preset if magnitude else None,
                            (base, sample_in_url))
    with grid_col:
        grid_editor(preset, learned)
    if kernel is not None:
        h, w = image.shape[:2]
        k = kernel.shape[0]
        with info_col:
            formula(h, w, k, settings.pad(k), settings.stride, settings.dilation)
    if shown is None:
        url_state.sync(base, sample_in_url)
        return
    shown_values, vmin, vmax = shown
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
