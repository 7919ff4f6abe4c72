"""Convolution controls (normalise, bias, padding, stride, dilation, flip, display) and the output-size formula."""

import streamlit as st

from app.pages.kernels import state
from models.convolution import DILATIONS, PADDING_LABELS, PADDINGS, STRIDES
from models.geometry import formula_text
from models.kernel_url import VIEWS
from models.kernels import GRADIENT_PAIRS, MAX_ABS

VIEW_LABELS = {"auto": "to suit the kernel", "clipped": "grey, clipped to 0..1", "absolute": "grey, absolute value",
               "stretch": "grey, min–max stretched", "diverging": "signed colours (blue < 0 < red)"}


def conv_controls() -> None:
    """Draw the convolution settings in one column; their values live in session state (conv_options)."""
    preset = st.session_state.get(state.KERN_PRESET) or "sobel x"
    st.toggle("Normalise to sum 1", key=state.KERN_NORMALISE,
              help="Divide every weight by their sum, so flat areas keep their brightness.")
    st.number_input(f"Bias (added to every output pixel, −{MAX_ABS:g} … {MAX_ABS:g})", -MAX_ABS, MAX_ABS, step=0.1,
                    format="%.4f", key=state.KERN_BIAS)
    st.selectbox("Padding", PADDINGS, format_func=PADDING_LABELS.get, key=state.KERN_PADDING,
                 help="'same' paddings add d·(k−1)/2 pixels on every side so a stride-1 output keeps the "
                      "input's size; they differ in what they invent beyond the border.")
    st.segmented_control("Stride", STRIDES, key=state.KERN_STRIDE, required=True, wrap=True,
                         help="Step between kernel positions.")
    st.segmented_control("Dilation", DILATIONS, key=state.KERN_DILATION, required=True, wrap=True,
                         help="Gap between the kernel's taps: dilation 2 spreads a 3×3 over 5×5 pixels.")
    st.toggle("True convolution (flip the kernel)", key=state.KERN_FLIP,
              help="Off: cross-correlation, which is what nn.Conv2d computes and deep learning calls "
                   "convolution. On: the mathematicians' convolution, kernel rotated by 180°.")
    st.radio("Show the output", VIEWS, format_func=VIEW_LABELS.get, key=state.KERN_VIEW)
    if preset in GRADIENT_PAIRS:
        st.toggle("Gradient magnitude √(gx² + gy²)", key=state.KERN_MAGNITUDE,
                  help="Combine this kernel's x and y versions: edges in every direction, all ≥ 0.")


def conv_options(gradient_pair: bool) -> dict:
    """The values conv_controls() last set, read from session state (for fragments)."""
    ss = st.session_state
    return dict(normalise=bool(ss.get(state.KERN_NORMALISE, False)), bias=ss.get(state.KERN_BIAS, 0.0),
                padding=ss.get(state.KERN_PADDING) or "zeros", stride=int(ss.get(state.KERN_STRIDE) or 1),
                dilation=int(ss.get(state.KERN_DILATION) or 1), flip=bool(ss.get(state.KERN_FLIP, False)),
                view=ss.get(state.KERN_VIEW) or "auto",
                magnitude=gradient_pair and bool(ss.get(state.KERN_MAGNITUDE, False)))


def formula(h: int, w: int, k: int, p: int, s: int, d: int) -> None:
    """The output-size formula with the actual numbers, for height and width."""
    st.markdown(
        "**Output size** = ⌊(n + 2p − d(k−1) − 1) / s⌋ + 1 with "
        f"k = {k}, p = {p}, s = {s}, d = {d}:  \n"
        f"height: `{formula_text(h, k, p, s, d)}`  \nwidth: `{formula_text(w, k, p, s, d)}`")


FLIP_EXPLANATION = """
`nn.Conv2d` slides the kernel as it is and multiplies each weight with the
pixel under it: that is *cross-correlation*, although deep learning calls it convolution. The textbook
*convolution* first rotates the kernel by 180° (flips it up–down and left–right). For symmetric kernels (box,
Gaussian, Laplacian) nothing changes; for Sobel x the sign of every edge flips. A network does not care: it
simply learns the flipped weights.
"""
