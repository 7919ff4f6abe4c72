"""Kernel editor: preset picker with its parameters, an editable grid, and a type/paste box.

`preset_controls()` draws the preset picker; `grid_editor()` the weights grid and returns its kernel.
"""

import numpy as np
import streamlit as st

from app.pages.kernels import state
from app.pages.kernels.state import CUSTOM
from app.pages.kernels.text_box import text_box
from components.kernel_grid import MAX_CELL_CHARS, grid_value, kernel_grid
from components.layout import plain
from models.content_id import content_id
from models.kernels import (
    DESCRIPTIONS,
    PRESETS,
    SIZES,
    KernelError,
    PresetParams,
    is_sized,
    make_preset,
)

LEARNED = "learned conv1 #"


def preset_options(learned: tuple | None) -> list[str]:
    return [*PRESETS, *([f"{LEARNED}{i}" for i in range(len(learned[0]))] if learned else []), CUSTOM]


def base_kernel(preset: str, learned: tuple | None) -> tuple[np.ndarray, float]:
    """(kernel, suggested bias) for the preset and parameters currently in session state."""
    ss = st.session_state
    if preset == CUSTOM:
        custom = ss.get(state.KERN_CUSTOM)
        return (np.array(custom, dtype=np.float64) if custom is not None else np.zeros((3, 3))), 0.0
    if preset.startswith(LEARNED):
        i = int(preset.removeprefix(LEARNED))
        return learned[0][i].copy(), float(learned[1][i])
    params = PresetParams(ss.get(state.KERN_SIZE, 3), ss.get(state.KERN_SIGMA, 1.0), ss.get(state.KERN_LENGTH, 5),
                          ss.get(state.KERN_ANGLE, 0.0), ss.get(state.KERN_SEED, 0))
    return make_preset(preset, params)


def _reset_bias(learned):
    """A new preset (or a new random draw) brings its own bias: nn.Conv2d's random one, or 0."""
    preset = st.session_state.get(state.KERN_PRESET, "sobel x")
    if preset != CUSTOM:
        try:
            st.session_state[state.KERN_BIAS] = round(base_kernel(preset, learned)[1], 6)
        except KernelError:
            st.session_state[state.KERN_BIAS] = 0.0


def _preset_controls(options: list[str], learned) -> str:
    preset = st.selectbox("Preset", options, key=state.KERN_PRESET, on_change=_reset_bias, args=(learned,),
                          help="Start from a textbook kernel, then edit any cell.")
    sized = is_sized(preset)
    if sized:  # a fixed 3x3 preset gets no (disabled, low-contrast) size control; the size setting is kept
        st.segmented_control("Kernel size", SIZES, key=state.KERN_SIZE, format_func=lambda s: f"{s}×{s}",
                             required=True, wrap=True, on_change=_reset_bias, args=(learned,),
                             help="Odd sizes only: an odd kernel has an exact centre pixel, so the output pixel "
                                  "sits right under it and the image does not shift.")
    if preset.startswith(LEARNED):
        st.caption("One of the 10 conv1 kernels the digit CNN learned from MNIST (its bias comes with it). "
                   "Try it on the MNIST digit sample.")
    elif preset in DESCRIPTIONS:
        st.markdown(DESCRIPTIONS[preset])
    if not sized and preset != CUSTOM:
        st.markdown("This preset is defined as 3×3 (no size to choose).")
    return preset


def preset_controls(learned: tuple | None) -> str:
    """The preset picker, its size and parameters; returns the preset's name."""
    return _preset_controls(preset_options(learned), learned)


def _reseeded(learned) -> None:
    _reset_bias(learned)
    st.session_state[state.KERN_REDRAW] = True  # the bias box sits outside the grid's fragment


def parameter_controls(preset: str, learned: tuple | None) -> None:
    """The preset's own parameters (sigma, length, angle, seed): they live beside the grid, in its fragment."""
    if preset in ("gaussian", "laplacian of gaussian"):
        st.slider("Sigma σ (spread of the bell, pixels)", 0.3, 5.0, step=0.1, key=state.KERN_SIGMA)
    if preset == "motion blur":
        st.slider("Blur length (cells)", 1, 11, key=state.KERN_LENGTH)
        st.slider("Angle (degrees, 0 = horizontal)", -90, 90, step=5, key=state.KERN_ANGLE)
    if preset == "random":
        st.number_input("Random seed (torch.manual_seed)", 0, 999_999, key=state.KERN_SEED,
                        on_change=_reseeded, args=(learned,))


def _grid_base(preset: str, learned: tuple | None) -> tuple[np.ndarray, str]:
    """The grid's starting kernel, and why the preset could not make one ("" when it could)."""
    try:
        return base_kernel(preset, learned)[0], ""
    except KernelError as exc:
        return np.zeros((3, 3)), str(exc)


def edited_kernel(preset: str, learned: tuple | None) -> np.ndarray:
    """The kernel exactly as the grid holds it, read before the grid is drawn: (k,k) float64, may hold NaN."""
    base, _ = _grid_base(preset, learned)
    return grid_value(state.KERN_GRID, base, content_id(base, preset, size=6))[0]


def grid_editor(preset: str, learned: tuple | None) -> np.ndarray:
    """The preset's parameters, the editable grid (reset whenever the starting kernel changes), the text box.

    Returns the kernel exactly as the grid holds it, (k,k) float64 (may contain NaN); the page validates it.
    """
    parameter_controls(preset, learned)
    base, problem = _grid_base(preset, learned)
    if problem:
        st.error(plain(problem))
    st.markdown("**Kernel weights** (rows and columns numbered from 1)")
    kernel, too_long = kernel_grid(state.KERN_GRID, base, content_id(base, preset, size=6))
    for r, c in too_long:
        st.error(f"Cell (row {r + 1}, column {c + 1}) holds more than {MAX_CELL_CHARS} characters, so it was not "
                 "read. Type an ordinary number such as 0.25 or -1.")
    text_box(kernel)
    return kernel
