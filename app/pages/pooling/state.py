"""Every session-state key of the Pooling page, its defaults, and init_defaults().

The settings live here: widgets are keyed by these names and init_defaults() only fills keys that are
missing, so a setting survives every path through the page (section switches, uploads, errors).
"""

import streamlit as st
from streamlit.errors import StreamlitAPIException

POOL_SOURCE = "pool_source"  # str: models.grid_sources.SOURCES
POOL_SIZE = "pool_size"  # int: grid side 4..16
POOL_SEED = "pool_seed"  # int: seed of the random / sparse grids (not a widget)
POOL_NEW_GRID = "pool_new_grid"  # button: new random grid
POOL_PATCH_SAMPLE = "pool_patch_sample"  # str: sample image for the patch source
POOL_TYPED = "pool_typed"  # data_editor key prefix (+ grid size and seed)
POOL_TYPED_CELLS = "pool_typed_cells"  # (size, seed, cells as text) as last typed, to restore the editor
POOL_TYPED_BASE = "pool_typed_base"  # cells (list of rows of str) the mounted editor started from
POOL_MODE = "pool_mode"  # str: models.pooling.MODES
POOL_P = "pool_p"  # float: Lp power
POOL_SEPARATE = "pool_separate"  # bool: separate kernel height and width
POOL_KERNEL = "pool_kernel"  # int
POOL_KH = "pool_kh"  # int
POOL_KW = "pool_kw"  # int
POOL_STRIDE = "pool_stride"  # int
POOL_PADDING = "pool_padding"  # int
POOL_DILATION = "pool_dilation"  # int
POOL_CEIL = "pool_ceil"  # bool: ceil_mode
POOL_COUNT_PAD = "pool_count_pad"  # bool: count_include_pad
POOL_PRESET = "pool_preset"  # button key prefix (+ index)
POOL_STEP = "pool_step"  # int: output cell shown by the step-through, numbered from 1 in reading order
POOL_PLAYING = "pool_playing"  # bool: the step-through is animating (not a widget)
POOL_PLAY = "pool_play"  # button: play / pause
POOL_GRAD_TARGET = "pool_grad_target"  # str: "ones" or "cell"
POOL_GRAD_CELL = "pool_grad_cell"  # int: output cell (from 1, reading order) for the one-cell gradient
POOL_IMG = "pool_img"  # components.image_source.choose_image key prefix
POOL_LEVELS = "pool_levels"  # int 1..4
POOL_IMG_KERNEL = "pool_img_kernel"  # int: window (= stride) of the image levels
POOL_VARIANT = "pool_variant"  # str: models.pool_images.VARIANTS
POOL_NOISE = "pool_noise"  # float: noise amount
POOL_RF_N = "pool_rf_n"  # int: input side of the receptive-field stack
POOL_RF_STACK = "pool_rf_stack"  # data_editor of the layer stack
POOL_RF_ROWS = "pool_rf_rows"  # list[dict]: the stack as last edited (survives the editor being unmounted)
POOL_RF_BASE = "pool_rf_base"  # list[dict]: the rows the mounted editor started from (not a widget)
POOL_RF_LAYER = "pool_rf_layer"  # str: layer whose unit is picked
POOL_RF_CLICK = "pool_rf_click"  # components.pixel_picker key: the last click on the layer picture
POOL_RF_UNIT = "pool_rf_unit"  # str: the layer the row/column inputs belong to (a new layer starts centred)
POOL_RF_ROW = "pool_rf_row"  # int: picked unit's row, from 1
POOL_RF_COL = "pool_rf_col"  # int: picked unit's column, from 1
POOL_SPEED = "pool_speed"  # int: cells per second when playing
POOL_PLAY_FROM = "pool_play_from"  # int: index (from 0) of the cell the animation started from (not a widget)
POOL_PLAY_T0 = "pool_play_t0"  # float: time.time() when the animation started (not a widget)
POOL_GRID = "pool_grid"  # (H, W) float64 grid from the source controls, or None (not a widget)
POOL_SECTION = "pool_section"  # str: the part of the page shown (grid, images, rf)
POOL_REASSERT = "pool_reassert"  # set of widget keys a preset changed, to set again after its keyed rerun

DEFAULTS = {
    POOL_SOURCE: "random", POOL_SIZE: 8, POOL_SEED: 0, POOL_PATCH_SAMPLE: "digit",
    POOL_MODE: "max", POOL_P: 2.0, POOL_SEPARATE: False, POOL_KERNEL: 2, POOL_KH: 2, POOL_KW: 3,
    POOL_STRIDE: 2, POOL_PADDING: 0, POOL_DILATION: 1, POOL_CEIL: False, POOL_COUNT_PAD: True,
    POOL_STEP: 1, POOL_PLAYING: False, POOL_SPEED: 5, POOL_SECTION: "grid", POOL_GRAD_TARGET: "ones",
    POOL_GRAD_CELL: 1, POOL_LEVELS: 3, POOL_IMG_KERNEL: 2, POOL_VARIANT: "clean", POOL_NOISE: 0.1, POOL_RF_N: 28,
}


def init_defaults() -> None:
    """Fill in every missing setting (never overwrites one the student chose)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


SETTINGS = (*DEFAULTS, POOL_RF_LAYER, POOL_RF_ROW, POOL_RF_COL)
IMAGE_PICKER = (f"{POOL_IMG}_source", f"{POOL_IMG}_sample")  # components.image_source widgets (with defaults)


def keep_settings() -> None:
    """Write every setting back before any widget is drawn, at the start of the page and of every fragment.

    Streamlit forgets a widget's value after a run (or fragment run) that does not draw it: another part of
    the page, an option shown only for one pooling type, a part that stopped at an error. A value written
    through session state is kept. The image picker's keys only while their widgets are hidden: those set a
    default, and Streamlit warns when a value written in the same run meets a default."""
    ss = st.session_state
    source, sample = IMAGE_PICKER
    images = ss.get(POOL_SECTION) == "images"
    hidden = (() if images else (source,)) + (() if images and ss.get(source, "Sample") == "Sample" else (sample,))
    for key in SETTINGS + hidden:
        if key in ss:
            try:
                ss[key] = ss[key]
            except StreamlitAPIException:  # its widget is already drawn in this run: nothing to keep
                pass
