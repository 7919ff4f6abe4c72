"""Input and output side by side; click an output pixel to see the arithmetic that made it.

Rows and columns are shown 1-based (row 1 is the top row); session state holds them as shown.
"""

import numpy as np
import streamlit as st

from app.pages.kernels import state, url_state
from components.kernel_display import CHANNELS, DISPLAY_WIDTH, display_height
from components.kernel_grids import grid_html
from components.pixel_picker import PickerView, pixel_picker
from components.trusted_html import trusted_html
from models.convolution import ConvSettings, inspect_pixel


def _apply_click(ho: int, wo: int) -> int:
    """Apply a new click (if any) to the row/col state and clamp both to the output; return the click's time."""
    ss = st.session_state
    click = ss.get(state.KERN_CLICK)
    pick = click.get("pick") if isinstance(click, dict) else getattr(click, "pick", None)
    if isinstance(pick, dict) and pick.get("t") != ss.get(state.KERN_LAST_CLICK):
        ss[state.KERN_LAST_CLICK] = pick.get("t")
        ss[state.KERN_ROW], ss[state.KERN_COL] = int(pick.get("row", 0)) + 1, int(pick.get("col", 0)) + 1
    ss[state.KERN_ROW] = min(max(int(ss.get(state.KERN_ROW) or 1), 1), ho)
    ss[state.KERN_COL] = min(max(int(ss.get(state.KERN_COL) or 1), 1), wo)
    return int(ss.get(state.KERN_LAST_CLICK) or 0)


def display_size(h: int, w: int) -> tuple[int, int]:
    return display_height(h, w), DISPLAY_WIDTH


def inspector(image: np.ndarray, urls: tuple[str, str], out: np.ndarray, kernel: np.ndarray,
              settings: ConvSettings, captions: tuple[str, str], gy: np.ndarray | None = None,
              url_args: tuple | None = None) -> None:
    """The whole inspector: images (clickable output), pixel pickers and the arithmetic for that pixel.

    image: (H,W) or (H,W,3); out: the shown output (Ho,Wo) or (Ho,Wo,3); urls: (input, output) pictures at
    display size; captions: (why this view, value range). url_args: (base kernel, sample_in_url) for
    url_state.sync after a click.
    """
    ho, wo = out.shape[:2]
    t = _apply_click(ho, wo)
    row1, col1 = st.session_state[state.KERN_ROW], st.session_state[state.KERN_COL]
    row, col = row1 - 1, col1 - 1
    h, w = image.shape[:2]
    k = kernel.shape[0]
    pixel_picker(state.KERN_CLICK, PickerView(
        urls[0], urls[1], h, w, ho, wo, row, col, k, settings.stride, settings.pad(k), settings.dilation,
        f"Input ({h}×{w}); orange box = the window under the kernel",
        f"Output ({ho}×{wo}); click any pixel to inspect it", DISPLAY_WIDTH, t))
    st.markdown(captions[0])
    st.markdown(captions[1])
    channel = 0
    if image.ndim == 3:
        channel = CHANNELS.index(st.session_state.get(state.KERN_CHANNEL) or "red")
    plane = image if image.ndim == 2 else image[..., channel]
    ins = inspect_pixel(plane, kernel, settings, row, col)
    st.header(f"Pixel inspector: output row {row1}, column {col1}", anchor="pixel-inspector")  # a fixed anchor:
    # the browser does not derive one from the changing text on every click (a slow slugify)
    c1, c2, c3 = st.columns(3)
    c1.number_input(f"Output row (1–{ho})", 1, ho, key=state.KERN_ROW)
    c2.number_input(f"Output column (1–{wo})", 1, wo, key=state.KERN_COL)
    if image.ndim == 3:
        c3.segmented_control("Channel", CHANNELS, key=state.KERN_CHANNEL, required=True, wrap=True)
    grids = (grid_html(ins.patch, "input patch (padding included)", False),
             grid_html(ins.weights, "× kernel" + (" (flipped)" if settings.flip else ""), True),
             grid_html(ins.product, "= element-wise products", True))
    trusted_html('<div style="display:flex;flex-wrap:wrap;gap:1rem 2.5rem;align-items:flex-start">'
                 + "".join(f"<div>{g}</div>" for g in grids) + "</div>", "kern_inspector_grids")  # one element
    terms = " + ".join(f"{p:.3f}×({wt:.3g})" for p, wt in zip(ins.patch.ravel()[:4], ins.weights.ravel()[:4],
                                                            strict=True))
    more = " + …" if ins.patch.size > 4 else ""
    shown_value = float(out[row, col] if out.ndim == 2 else out[row, col, channel])
    lines = [f"sum of the {ins.patch.size} products = {terms}{more} = **{ins.total:.4f}**",
             f"sum + bias = {ins.total:.4f} + ({ins.bias:.4f}) = **{ins.value:.4f}**"]
    if gy is not None:
        g2 = float(gy[row, col] if gy.ndim == 2 else gy[row, col, channel])
        lines.append(f"gx = {ins.value:.4f}, gy = {g2:.4f} → √(gx² + gy²) = **{shown_value:.4f}**")
    else:
        lines.append(f"output value at row {row1}, column {col1} = **{shown_value:.4f}**")
    p = settings.pad(kernel.shape[0])
    h, w = plane.shape
    if p and (ins.top < 0 or ins.left < 0 or ins.top + ins.span > h or ins.left + ins.span > w):
        lines.append(f"The window hangs over the border: those cells come from **{settings.padding}** padding.")
    st.markdown("  \n".join(lines) + f'<span data-testid="kern-inspector-sum" data-sum="{ins.total:.6f}" '
                f'data-value="{ins.value:.6f}"></span>', unsafe_allow_html=True,
                help="Computed in float64; the image is computed in float32 by conv2d, so the last digit may differ.")
    if url_args is not None:
        url_state.sync(*url_args)
