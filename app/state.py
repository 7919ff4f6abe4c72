"""Every session-state key ConvLab uses, and the projector-mode switch shared by all pages.

Pages read and write session state only through these names, so no two pages collide.
"""

import streamlit as st

PROJECTOR = "projector"  # bool: projector mode on (mirrored in the URL as ?projector=1)


def projector_on() -> bool:
    return bool(st.session_state.get(PROJECTOR, False))


def init_projector_from_url() -> None:
    """On the first run of a session, take projector mode from ?projector=1."""
    if PROJECTOR not in st.session_state:
        st.session_state[PROJECTOR] = st.query_params.get("projector") == "1"


def sync_projector_to_url() -> None:
    """Keep ?projector=1 in the URL while projector mode is on, on every page."""
    if projector_on():
        st.query_params["projector"] = "1"
    elif "projector" in st.query_params:
        del st.query_params["projector"]

# --- Cross-page keys (Anatomy & training -> Draw a digit) ---
TRAINED_MODEL = "trained_model"  # MnistCNN in eval mode trained on the Anatomy page, this session only
TRAINED_MODEL_INFO = "trained_model_info"  # dict: epochs, test accuracy, when, to label it on the Digits page

# --- Draw a digit page (issue 7) ---
DIGITS_DRAWING = "digits_drawing"  # np.ndarray (H,W) drawing injected instead of the canvas (AppTest)
DIGITS_CANVAS = "digits_canvas"  # the canvas component's own state (latest PNG from this browser)
DIGITS_CANVAS_EPOCH = "digits_canvas_epoch"  # int: bumped to wipe the strokes kept in the browser
DIGITS_STROKE = "digits_stroke"  # int: pen width in canvas pixels
DIGITS_SOURCE = "digits_source"  # "Draw" or "Test set"
DIGITS_GALLERY = "digits_gallery"  # "All digits" or "Misclassified"
DIGITS_PICK = "digits_pick"  # int: position in the chosen gallery
DIGITS_SCALE = "digits_scale"  # "per map" / "per layer" / "global" colour scale
DIGITS_RELU = "digits_relu"  # bool: show conv maps after ReLU (else before)
DIGITS_WHY = "digits_why"  # bool: show the saliency overlay
DIGITS_WHY_METHOD = "digits_why_method"  # "occlusion" or "gradient"
DIGITS_ZOOM_LAYER = "digits_zoom_layer"  # layer of the enlarged map
DIGITS_ZOOM_INDEX = "digits_zoom_index"  # int: which map of that layer is enlarged
DIGITS_USE_SHIPPED = "digits_use_shipped"  # bool: ignore this session's trained model

# --- Anatomy & training page (issue 8) ---
ANATOMY_PRESET = "anatomy_preset"  # str: preset name chosen in the stack editor
ANATOMY_INPUT = "anatomy_input"  # str: key of models.architecture.INPUTS
ANATOMY_EDITOR = "anatomy_editor"  # prefix of the layer editor's key (+ preset index and reset count)
ANATOMY_RESETS = "anatomy_resets"  # int: bumped by "Reset" so the editor starts from the preset again
ANATOMY_SPEC = "anatomy_spec"  # (list[models.architecture.Layer], input (C,H,W)): the stack as last edited
ANATOMY_TORCHINFO = "anatomy_torchinfo"  # bool: show the torchinfo summary of the exported code
ANATOMY_TRAINER = "anatomy_trainer"  # models.live_training.LiveTrainer of this session (one at a time)
ANATOMY_TRAIN_WHAT = "anatomy_train_what"  # str: "digit" CNN or the designed "stack"
ANATOMY_DATASET = "anatomy_dataset"  # str: "subset" (shipped 10k) or "full" MNIST
ANATOMY_EPOCHS = "anatomy_epochs"
ANATOMY_BATCH = "anatomy_batch"
ANATOMY_LR = "anatomy_lr"
ANATOMY_OPTIMIZER = "anatomy_optimizer"
ANATOMY_SEED = "anatomy_seed"
ANATOMY_SNAPSHOT_EVERY = "anatomy_snapshot_every"

# --- Kernels page (issue 4) ---
KERN_IMAGE = "kern"  # prefix handed to app.inputs.choose_image (its widgets: kern_source, kern_sample, ...)
KERN_SAMPLE = "kern_sample"  # the sample picker's own key inside choose_image
KERN_COLOUR = "kern_colour"  # "gray" or "rgb" (depthwise)
KERN_PRESET = "kern_preset"  # str: preset name, "learned conv1 #i" or "custom"
KERN_SIZE = "kern_size"  # int: 1..11, odd
KERN_SIGMA = "kern_sigma"  # float: Gaussian / LoG sigma
KERN_LENGTH = "kern_length"  # int: motion-blur length
KERN_ANGLE = "kern_angle"  # float: motion-blur angle in degrees
KERN_SEED = "kern_seed"  # int: seed for the nn.Conv2d-style random kernel
KERN_CUSTOM = "kern_custom"  # np.ndarray (k,k) typed/pasted or from the URL, used when preset == "custom"
KERN_GRID = "kern_grid"  # the kernel grid component: {"edits": {"sig", "edits": {"r,c": text}}}
KERN_TEXT = "kern_text"  # str: the "type or paste" text area
KERN_TEXT_SYNC = "kern_text_sync"  # str: kernel text the text area was last filled with
KERN_NORMALISE = "kern_normalise"  # bool
KERN_BIAS = "kern_bias"  # float
KERN_PADDING = "kern_padding"  # str: models.convolution.PADDINGS
KERN_STRIDE = "kern_stride"  # int 1..4
KERN_DILATION = "kern_dilation"  # int 1..3
KERN_FLIP = "kern_flip"  # bool: true convolution (flipped kernel) instead of cross-correlation
KERN_VIEW = "kern_view"  # str: clipped / absolute / stretch / diverging
KERN_MAGNITUDE = "kern_magnitude"  # bool: show sqrt(gx²+gy²) for Sobel/Scharr/Prewitt
KERN_ROW = "kern_row"  # int: inspected output row
KERN_COL = "kern_col"  # int: inspected output column
KERN_CHANNEL = "kern_channel"  # str: inspected channel of an RGB image, "red", "green" or "blue"
KERN_CLICK = "kern_click"  # streamlit_image_coordinates value on the output image
KERN_LAST_CLICK = "kern_last_click"  # unix_time of the last click already applied
KERN_URL_DONE = "kern_url_done"  # bool: URL parameters already applied this session
KERN_URL_NOTICES = "kern_url_notices"  # list[str]: malformed URL parameters that fell back to defaults
KERN_CURRENT = "kern_current"  # (kernel (k,k), ConvSettings) last applied, for the sliding animation
KERN_REDRAW = "kern_redraw"  # bool: the grid's fragment changed a setting shown outside it: redraw the page
KERN_SHOW_EXPORT = "kern_show_export"  # bool: the export (code and downloads) is open
KERN_EXPLORE_TAB = "kern_explore_tab"  # label of the open "3. Explore" tab (only that one is built)
KERN_ANIM_STEP = "kern_anim_step"  # int: current step of the sliding animation
KERN_ANIM_PLAY = "kern_anim_play"  # bool: animation playing
KERN_ANIM_TOP = "kern_anim_top"  # int: crop top row
KERN_ANIM_LEFT = "kern_anim_left"  # int: crop left column
KERN_ANIM_CROP = "kern_anim_crop"  # int: crop side (<= 12)
KERN_GAUSS_SIZE = "kern_gauss_size"  # int: Gaussian explorer size
KERN_GAUSS_SIGMA = "kern_gauss_sigma"  # float: Gaussian explorer sigma
KERN_NOISE_KIND = "kern_noise_kind"  # "salt and pepper" or "gaussian"
KERN_NOISE_AMOUNT = "kern_noise_amount"  # float
KERN_NOISE_SIZE = "kern_noise_size"  # int: filter size for the comparison
KERN_NOISE_FILTER = "kern_noise_filter"  # "median", "min" or "max"
KERN_TEXT_ERROR = "kern_text_error"  # str | None: why the typed kernel text could not be read

# --- Transforms page (issue 6) ---
TF_STEPS = "tf_steps"  # list[dict]: the pipeline steps {"id", "name", "enabled", "params"} (models.pipeline)
TF_NEXT_ID = "tf_next_id"  # int: next step id number, so new steps never reuse an old step's widget keys
TF_URL_DONE = "tf_url_done"  # bool: ?tf= pipeline from the URL already applied this session
TF_NOTICE = "tf_notice"  # str: message about the last import/link (shown once)
TF_SEED = "tf_seed"  # int: seed before the whole pipeline
TF_ADD = "tf_add"  # str: catalogue entry chosen for "Add step"
TF_PRESET = "tf_preset"  # str: preset chosen for "Load preset"
TF_TAB = "tf_tab"  # str: open tab (Stages / Random outcomes / Export & share / Dataset & DataLoader)
TF_GRID_N = "tf_grid_n"  # int: outcomes in the random grid (8..16)
TF_IMPORT = "tf_import"  # uploaded pipeline JSON
TF_STEP_PREFIX = "tf_step_"  # + "<step id>_<param>" : one widget per step parameter; "<id>__on" enable toggle
TF_DS_SOURCE = "tf_ds_source"  # "MNIST sample" or "Sample photos"
TF_DS_N = "tf_ds_n"  # int: number of samples
TF_DS_BATCH = "tf_ds_batch"  # int: batch_size
TF_DS_SHUFFLE = "tf_ds_shuffle"  # bool
TF_DS_DROP = "tf_ds_drop"  # bool: drop_last
TF_DS_SEED = "tf_ds_seed"  # int: DataLoader seed
TF_DS_WALKER = "tf_ds_walker"  # (signature, models.digit_dataset.EpochWalker, last Batch | None)
TF_RUNS = "tf_runs"  # int: workbench runs so far (the benchmark waits for the next one)
TF_CLOCK = "tf_clock"  # (wall, cpu) start of the view run, for the DataLoader fragment's done marker

# --- Pooling page (issue 5) ---
POOL_SOURCE = "pool_source"  # str: models.grid_sources.SOURCES
POOL_SIZE = "pool_size"  # int: grid side 4..16
POOL_SEED = "pool_seed"  # int: seed of the random / sparse grids (not a widget)
POOL_NEW_GRID = "pool_new_grid"  # button: new random grid
POOL_PATCH_SAMPLE = "pool_patch_sample"  # str: sample image for the patch source
POOL_TYPED = "pool_typed"  # data_editor key prefix (+ grid size)
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
POOL_STEP = "pool_step"  # int: output cell shown by the step-through
POOL_PLAYING = "pool_playing"  # bool: the step-through is animating (not a widget)
POOL_PLAY = "pool_play"  # button: play / pause
POOL_GRAD_TARGET = "pool_grad_target"  # str: "ones" or "cell"
POOL_GRAD_CELL = "pool_grad_cell"  # int: output cell index for the one-cell gradient
POOL_IMG = "pool_img"  # choose_image key prefix
POOL_LEVELS = "pool_levels"  # int 1..4
POOL_IMG_KERNEL = "pool_img_kernel"  # int: window (= stride) of the image levels
POOL_VARIANT = "pool_variant"  # str: models.pool_images.VARIANTS
POOL_NOISE = "pool_noise"  # float: noise amount
POOL_RF_N = "pool_rf_n"  # int: input side of the receptive-field stack
POOL_RF_STACK = "pool_rf_stack"  # data_editor of the layer stack
POOL_RF_LAYER = "pool_rf_layer"  # str: layer whose unit is picked
POOL_RF_CLICK = "pool_rf_click"  # streamlit_image_coordinates value
POOL_RF_UNIT = "pool_rf_unit"  # (layer name, row, col) picked by click or sliders
POOL_RF_ROW = "pool_rf_row"  # int slider
POOL_RF_COL = "pool_rf_col"  # int slider
POOL_SPEED = "pool_speed"  # int: cells per second when playing
POOL_PLAY_FROM = "pool_play_from"  # int: cell the animation started from (not a widget)
POOL_PLAY_T0 = "pool_play_t0"  # float: time.time() when the animation started (not a widget)
POOL_GRID = "pool_grid"  # (H, W) float64 grid from the source controls, or None (not a widget)
POOL_SECTION = "pool_section"  # str: the part of the page shown (grid, images, rf)
POOL_REASSERT = "pool_reassert"  # set of widget keys a preset changed, to set again after its keyed rerun
