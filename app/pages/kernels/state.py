"""Every session-state key of the Kernels page, its defaults, init_defaults() and keep_settings().

The settings live here: widgets are keyed by these names, init_defaults() only fills keys that are missing,
and keep_settings() writes every setting back at the start of each run, so a setting survives a run that
does not draw its widget (no image yet, an upload in progress, an error).
"""

import streamlit as st

KERN_IMAGE = "kern"  # prefix handed to components.image_source.choose_image (kern_source, kern_sample, ...)
KERN_SOURCE = "kern_source"  # the image-source picker's own key inside choose_image
KERN_SAMPLE = "kern_sample"  # the sample picker's own key inside choose_image
KERN_COLOUR = "kern_colour"  # "gray" or "rgb" (depthwise)
KERN_PRESET = "kern_preset"  # str: preset name, "learned conv1 #i" or CUSTOM
CUSTOM = "custom"  # the preset of a kernel typed, pasted or edited cell by cell
KERN_SIZE = "kern_size"  # int: 1..11, odd
KERN_SIGMA = "kern_sigma"  # float: Gaussian / LoG sigma
KERN_LENGTH = "kern_length"  # int: motion-blur length
KERN_ANGLE = "kern_angle"  # float: motion-blur angle in degrees
KERN_SEED = "kern_seed"  # int: seed for the nn.Conv2d-style random kernel
KERN_CUSTOM = "kern_custom"  # np.ndarray (k,k) typed/pasted or from the URL, used when preset == "custom"
KERN_GRID = "kern_grid"  # the kernel grid component: {"edits": {"sig", "edits": {"r,c": text}}}
KERN_TEXT = "kern_text"  # str: the "type or paste" text area
KERN_TEXT_SYNC = "kern_text_sync"  # str: kernel text the text area was last filled with
KERN_TEXT_ERROR = "kern_text_error"  # str | None: why the typed kernel text could not be read
KERN_NORMALISE = "kern_normalise"  # bool
KERN_BIAS = "kern_bias"  # float
KERN_PADDING = "kern_padding"  # str: models.convolution.PADDINGS
KERN_STRIDE = "kern_stride"  # int 1..4
KERN_DILATION = "kern_dilation"  # int 1..3
KERN_FLIP = "kern_flip"  # bool: true convolution (flipped kernel) instead of cross-correlation
KERN_VIEW = "kern_view"  # str: models.kernel_url.VIEWS ("auto" picks one to suit the kernel)
KERN_MAGNITUDE = "kern_magnitude"  # bool: show sqrt(gx²+gy²) for Sobel/Scharr/Prewitt
KERN_ROW = "kern_row"  # int: inspected output row, 1-based as shown
KERN_COL = "kern_col"  # int: inspected output column, 1-based as shown
KERN_CHANNEL = "kern_channel"  # str: inspected channel of an RGB image, "red", "green" or "blue"
KERN_CLICK = "kern_click"  # components.pixel_picker value: the last click on the output image
KERN_LAST_CLICK = "kern_last_click"  # time stamp of the last click already applied
KERN_URL_DONE = "kern_url_done"  # bool: URL parameters already applied this session
KERN_URL_NOTICES = "kern_url_notices"  # list[str]: malformed URL parameters that fell back to defaults
KERN_CURRENT = "kern_current"  # (raw kernel (k,k), checked kernel or None, ConvSettings or None)
KERN_REDRAW = "kern_redraw"  # bool: the grid's fragment changed a setting shown outside it: redraw the page
KERN_SHOW_EXPORT = "kern_show_export"  # bool: the export (code and downloads) is open
KERN_EXPLORE_TAB = "kern_explore_tab"  # str: the part of the Explore section shown (slide, gauss, noise)
KERN_ANIM_TOP = "kern_anim_top"  # int: crop top row (0-based inside; shown 1-based)
KERN_ANIM_LEFT = "kern_anim_left"  # int: crop left column (0-based inside; shown 1-based)
KERN_ANIM_CROP = "kern_anim_crop"  # int: crop side (<= 12)
KERN_ANIM = "kern_anim"  # components.sliding_window key (the animation runs in the browser)
KERN_GAUSS_SIZE = "kern_gauss_size"  # int: Gaussian explorer size
KERN_GAUSS_SIGMA = "kern_gauss_sigma"  # float: Gaussian explorer sigma
KERN_NOISE_KIND = "kern_noise_kind"  # "salt and pepper" or "gaussian"
KERN_NOISE_AMOUNT = "kern_noise_amount"  # float
KERN_NOISE_SIZE = "kern_noise_size"  # int: filter size for the comparison
KERN_NOISE_FILTER = "kern_noise_filter"  # "median", "min" or "max"

DEFAULTS = {
    KERN_COLOUR: "gray", KERN_PRESET: "sobel x", KERN_SIZE: 3, KERN_SIGMA: 1.0,
    KERN_LENGTH: 5, KERN_ANGLE: 0.0, KERN_SEED: 0, KERN_NORMALISE: False, KERN_BIAS: 0.0, KERN_PADDING: "zeros",
    KERN_STRIDE: 1, KERN_DILATION: 1, KERN_FLIP: False, KERN_VIEW: "auto", KERN_MAGNITUDE: False, KERN_ROW: 1,
    KERN_COL: 1, KERN_CHANNEL: "red", KERN_SHOW_EXPORT: False, KERN_GAUSS_SIZE: 7, KERN_GAUSS_SIGMA: 1.5,
    KERN_NOISE_KIND: "salt and pepper", KERN_NOISE_AMOUNT: 0.1, KERN_NOISE_SIZE: 3, KERN_NOISE_FILTER: "median",
    KERN_EXPLORE_TAB: "slide",
}
# Every widget-held setting. The source picker is drawn on every run; the sample picker only for samples, and
# the crop has no fixed default (it depends on the image).
SETTINGS = (*DEFAULTS, KERN_SAMPLE, KERN_ANIM_TOP, KERN_ANIM_LEFT, KERN_ANIM_CROP, KERN_TEXT)


def init_defaults() -> None:
    """Fill in every missing setting (never overwrites one the student chose)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def keep_settings() -> None:
    """Write every setting back before any widget is drawn. Streamlit forgets a widget's value on a run that
    does not draw it (no image yet while an upload is pending, a preset without that parameter); a value
    written through session state is kept."""
    ss = st.session_state
    for key in SETTINGS:
        if key in ss:
            ss[key] = ss[key]
