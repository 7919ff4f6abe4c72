"""Every session-state key of the Anatomy & training page, its defaults, and init_defaults().

The settings live here: widgets are keyed by these names and init_defaults() only fills keys that are
missing, so a setting survives every path through the page.
"""

import streamlit as st

from models import architecture as arch

ANATOMY_PRESET = "anatomy_preset"  # str: preset name chosen in the stack editor
ANATOMY_INPUT = "anatomy_input"  # str: key of models.architecture.INPUTS
ANATOMY_EDITOR = "anatomy_editor"  # prefix of the layer editor's key (+ preset index and reset count)
ANATOMY_RESETS = "anatomy_resets"  # int: bumped by "Reset" so the editor starts from the preset again
ANATOMY_SPEC = "anatomy_spec"  # (list[models.architecture.Layer], input (C,H,W)): the stack as last edited
ANATOMY_TORCHINFO = "anatomy_torchinfo"  # bool: show the torchinfo summary of the exported code
ANATOMY_DEPTH = "anatomy_depth"  # the depth chart component: {"width": its drawn width in CSS px, "sync"}
ANATOMY_TRAINER = "anatomy_trainer"  # models.training_job.TrainingJob of this session (one at a time)
ANATOMY_TRAIN_WHAT = "anatomy_train_what"  # str: "digit" CNN or the designed "stack"
ANATOMY_DATASET = "anatomy_dataset"  # str: "subset" (shipped 10k) or "full" MNIST
ANATOMY_EPOCHS = "anatomy_epochs"  # int 1..20
ANATOMY_BATCH = "anatomy_batch"  # int: training_panel.BATCH_SIZES
ANATOMY_LR = "anatomy_lr"  # float: training_panel.LEARNING_RATES
ANATOMY_OPTIMIZER = "anatomy_optimizer"  # str: models.live_training.OPTIMIZERS
ANATOMY_SEED = "anatomy_seed"  # int 0..10000
ANATOMY_SNAPSHOT_EVERY = "anatomy_snapshot_every"  # int: kernel snapshot every N iterations
ANATOMY_SENT = "anatomy_sent"  # bool: this session's trained model was handed to Draw a digit

DEFAULTS = {
    ANATOMY_PRESET: arch.DEFAULT_PRESET, ANATOMY_INPUT: next(iter(arch.INPUTS)), ANATOMY_RESETS: 0,
    ANATOMY_TORCHINFO: False, ANATOMY_TRAIN_WHAT: "digit", ANATOMY_DATASET: "subset", ANATOMY_EPOCHS: 2,
    ANATOMY_BATCH: 64, ANATOMY_OPTIMIZER: "sgd", ANATOMY_LR: 0.01, ANATOMY_SEED: 0, ANATOMY_SNAPSHOT_EVERY: 20,
}
TRAINING_SETTINGS = (ANATOMY_TRAIN_WHAT, ANATOMY_DATASET, ANATOMY_EPOCHS, ANATOMY_BATCH, ANATOMY_OPTIMIZER, ANATOMY_LR,
                     ANATOMY_SEED, ANATOMY_SNAPSHOT_EVERY)
DEFAULT_SPEC = (arch.PRESETS[arch.DEFAULT_PRESET], arch.INPUTS[next(iter(arch.INPUTS))])


def init_defaults() -> None:
    """Fill in every missing setting (never overwrites one the student chose)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def current_spec() -> tuple[list[arch.Layer], tuple[int, int, int]]:
    """(stack, input shape) as last shown by the layer editor."""
    return st.session_state.get(ANATOMY_SPEC, DEFAULT_SPEC)
