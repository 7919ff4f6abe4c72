"""The "Explore" part of the Kernels page: the sliding window, the 2D Gaussian, linear vs non-linear filters."""

import numpy as np
import streamlit as st

from app.pages.kernels import state
from app.pages.kernels.animation import sliding_section
from components.kernel_display import DISPLAY_WIDTH, fit, to_uint8
from components.kernel_figures import gaussian_profile, gaussian_surface, kernel_heatmap
from components.layout import explain
from models.kernels import SIZES, gaussian, gaussian_1d
from models.noise import centre_crop, denoise_comparison

CROP = 256  # the noise comparison works on a centre crop so the non-linear filters stay fast


def _use_gaussian():
    ss = st.session_state
    ss[state.KERN_PRESET] = "gaussian"
    ss[state.KERN_SIZE] = ss[state.KERN_GAUSS_SIZE]
    ss[state.KERN_SIGMA] = ss[state.KERN_GAUSS_SIGMA]
    ss[state.KERN_BIAS] = 0.0


@st.fragment
def gaussian_explorer() -> None:
    c1, c2 = st.columns(2)
    size = c1.select_slider("Gaussian size", [s for s in SIZES if s > 1], key=state.KERN_GAUSS_SIZE)
    sigma = c2.slider("Gaussian sigma σ", 0.3, 5.0, step=0.1, key=state.KERN_GAUSS_SIGMA)
    g, g1 = gaussian(size, sigma), gaussian_1d(size, sigma)
    a, b, c = st.columns(3)
    a.plotly_chart(gaussian_surface(g), key="kern_gauss_surface")
    b.plotly_chart(kernel_heatmap(g, f"{size}×{size} weights (sum 1)"), key="kern_gauss_heat")
    c.plotly_chart(gaussian_profile(g1, sigma), key="kern_gauss_profile")
    err = float(np.abs(np.outer(g1, g1) - g).max())
    explain(f"""
Each weight is proportional to exp(−(x² + y²) / 2σ²): near pixels count most, far ones hardly at all, and the
weights sum to 1 so flat areas keep their brightness. Every output pixel is therefore a **weighted average** of
its neighbourhood. Detail and noise are changes over one or two pixels; averaging them with their neighbours
cancels them out, so both disappear while large shapes survive. A bigger σ averages over a wider area: more blur.
If σ is large for the kernel size the bell gets cut off at the border, and the kernel becomes box-like.

**Separable:** the 2D bell is the outer product of the 1D profile with itself (largest difference here:
{err:.1e}). So blurring with a k×k Gaussian equals blurring the rows with the 1D kernel and then the columns:
{2 * size} multiplications per pixel instead of {size * size}.
""", label="Why a Gaussian blurs")
    if st.button("Use this Gaussian in the kernel designer", on_click=_use_gaussian, key="kern_gauss_use"):
        st.rerun(scope="app")


def _show(img: np.ndarray, label: str, col) -> None:
    rgb = np.clip(img if img.ndim == 3 else np.repeat(img[..., None], 3, axis=2), 0, 1)
    h, w = rgb.shape[:2]
    width = DISPLAY_WIDTH // 2
    col.image(fit(to_uint8(rgb, 0.0, 1.0), max(1, round(width * h / w)), width), caption=label,
              output_format="PNG", width=width)


@st.fragment
def noise_comparison(image: np.ndarray) -> None:
    """image: (H,W) or (H,W,3) in [0,1]. Linear (Gaussian) vs non-linear (median/min/max) on added noise."""
    c1, c2, c3, c4 = st.columns(4)
    kind = c1.radio("Noise", ("salt and pepper", "gaussian"), key=state.KERN_NOISE_KIND)
    amount = c2.slider("Noise amount" + (" (fraction of pixels)" if kind == "salt and pepper" else " (σ)"),
                       0.0, 0.5, step=0.01, key=state.KERN_NOISE_AMOUNT)
    size = c3.select_slider("Filter size", (3, 5, 7), key=state.KERN_NOISE_SIZE)
    kind_nl = c4.radio("Non-linear filter", ("median", "min", "max"), key=state.KERN_NOISE_FILTER, horizontal=True)
    result = denoise_comparison(centre_crop(image, CROP), kind, amount, size, kind_nl)
    labels = {"clean": "clean crop", "noisy": f"+ {kind} noise", "linear": f"Gaussian {size}×{size} (linear)",
              "nonlinear": f"{kind_nl} {size}×{size} (non-linear)"}
    st.markdown("**Denoising:** a linear filter (Gaussian blur) next to a non-linear one")
    for name, col in zip(labels, st.columns(4), strict=True):
        _show(result[name], labels[name], col)
    st.markdown("**Edge detection** (Sobel magnitude) on the noisy crop, directly and after each filter")
    for name, col in zip(labels, st.columns(4), strict=True):
        _show(result["edges"][name], f"edges: {labels[name]}", col)
    st.markdown("A **linear** filter outputs a weighted sum, so a lone white pixel is smeared into a grey blob. "
                "The **median** is not a weighted sum: it sorts the window and takes the middle value, so a few "
                "outliers are simply never chosen and edges stay sharp. **Min** (erosion) grows dark regions and "
                "removes salt; **max** (dilation) grows bright regions and removes pepper. Edge detectors are "
                "derivatives and amplify noise: denoise first.")


PARTS = {"slide": "Sliding window", "gauss": "2D Gaussian", "noise": "Linear vs non-linear filters"}


def explore(image: np.ndarray) -> None:
    """image: (H,W) or (H,W,3) float32 in [0,1]. Only the chosen part is built and sent.

    A switch rather than st.tabs: a tab panel re-scans its subtree for focusable elements on every DOM change
    anywhere on the page, which cost 7 % of every weight edit's round trip above (paired runs)."""
    st.header("Explore")
    part = st.segmented_control("Part of the Explore section", list(PARTS), format_func=PARTS.get,
                                key=state.KERN_EXPLORE_TAB, required=True, label_visibility="collapsed")
    if part == "slide":
        if image.ndim == 3:
            st.caption("RGB image: the animation slides over the red channel.")
        sliding_section(image if image.ndim == 2 else image[..., 0])
    elif part == "gauss":
        gaussian_explorer()
    else:
        noise_comparison(image)
