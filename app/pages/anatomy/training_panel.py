"""Live-training widgets: the settings, Start/Stop, and the progress display. Widgets return plain values."""

import streamlit as st

from app.pages.anatomy import state
from components.anatomy_figures import curves_figure, kernel_grid_figure
from components.layout import explain
from components.theme import projector

BATCH_SIZES = [16, 32, 64, 128, 256, 512]
LEARNING_RATES = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3]
STATUS_WORDS = {"waiting": "Waiting to start", "running": "Training", "finished": "Finished",
                "stopped": "Stopped", "failed": "Failed"}


def settings(disabled: bool, stack_reason: str | None, full_available: bool, optimizers: dict) -> dict:
    """The training settings as plain values (keys match models.live_training.TrainSettings, plus what/dataset).

    Defaults live in app/pages/anatomy/state.py. Each value is written back before its widget is drawn, so
    it survives the rerun that Start makes (Streamlit drops widget values on an interrupted run)."""
    for key in state.TRAINING_SETTINGS:
        st.session_state[key] = st.session_state.get(key, state.DEFAULTS[key])
    what_options = {"digit": "The digit CNN", "stack": "My designed stack (from the editor above)"}
    c1, c2 = st.columns(2)
    what = c1.radio("Network to train", list(what_options), format_func=what_options.get, disabled=disabled,
                    key=state.ANATOMY_TRAIN_WHAT)
    if what == "stack" and stack_reason:
        c1.warning(f"The designed stack cannot be trained yet: {stack_reason}")
    sets = {"subset": "Shipped 10,000-digit subset", "full": "Full MNIST (60,000 digits)"}
    dataset = c2.radio("Training data", list(sets) if full_available else ["subset"], format_func=sets.get,
                       disabled=disabled, key=state.ANATOMY_DATASET,
                       help=None if full_available else "Full MNIST needs a data root with MNIST/raw.")
    a, b, c = st.columns(3)
    d, e, f = st.columns(3)
    out = dict(what=what, dataset=dataset)
    out["epochs"] = a.number_input("Epochs", 1, 20, disabled=disabled, key=state.ANATOMY_EPOCHS)
    out["batch_size"] = b.selectbox("Batch size", BATCH_SIZES, disabled=disabled, key=state.ANATOMY_BATCH)
    out["optimizer"] = c.selectbox("Optimizer", list(optimizers), format_func=optimizers.get, disabled=disabled,
                                   key=state.ANATOMY_OPTIMIZER)
    out["lr"] = d.select_slider("Learning rate", LEARNING_RATES, disabled=disabled,
                                key=state.ANATOMY_LR)
    out["seed"] = e.number_input("Seed", 0, 10_000, disabled=disabled, key=state.ANATOMY_SEED)
    out["snapshot_every"] = f.number_input("Kernel snapshot every N iterations", 1, 1000, disabled=disabled,
                                           key=state.ANATOMY_SNAPSHOT_EVERY)
    return out


def buttons(running: bool, can_start: bool) -> tuple[bool, bool]:
    row = st.container(horizontal=True, key="row-anatomy-train")
    start = row.button("Start training", type="primary", disabled=running or not can_start, key="anatomy_start",
                      icon=":material/play_arrow:")
    stop = row.button("Stop", disabled=not running, key="anatomy_stop", icon=":material/stop:")
    return start, stop


def progress_view(p, label: str) -> None:
    """Progress bar, counters with the iterations-per-epoch sum, curves and the kernel grid for a Progress."""
    text = (f"{STATUS_WORDS[p.status]} {label}: epoch {max(p.epoch, 1)} of {p.epochs}, "
            f"iteration {p.iteration} of {p.total_iterations}")
    st.progress(p.fraction, text=text)
    if p.message:
        (st.error if p.status == "failed" else st.info)(p.message)
    m = st.columns(4)
    m[0].metric("Epoch", f"{max(p.epoch, 1)} / {p.epochs}")
    m[1].metric("Iteration", f"{p.iteration} / {p.total_iterations}")
    m[2].metric("Samples seen", f"{p.samples_seen:,}")
    m[3].metric("Held-out accuracy", f"{p.heldout_curve[-1][2]:.1%}" if p.heldout_curve else "–")
    last = p.n_train - (p.iterations_per_epoch - 1) * p.batch_size
    explain(
        f"**Iteration** = one batch of {p.batch_size} images: a forward pass, a loss, a backward pass and one "
        f"weight update. **Epoch** = one pass over all {p.n_train:,} training images, so an epoch takes "
        f"⌈{p.n_train:,} / {p.batch_size}⌉ = **{p.iterations_per_epoch} iterations** (the last batch holds "
        f"{last} images). Samples seen = iterations × batch size.", label="Epoch, batch, iteration")
    st.plotly_chart(curves_figure(p.train_curve, p.heldout_curve, p.epoch_marks),
                    key="anatomy_curves", config={"displayModeBar": False})
    if p.kernels and p.kernels[0][1] is not None:
        st.markdown("**First-layer kernels**, from random initialisation (top) to now (bottom); "
                    "blue < 0 < red, one shared colour scale.")
        st.plotly_chart(kernel_grid_figure(_pick(p.kernels, 8 if projector() else 12)),
                        key="anatomy_kernels", config={"displayModeBar": False})


def _pick(items: list, n: int) -> list:
    """At most n items, always the first and the last, evenly spaced in between."""
    if len(items) <= n:
        return items
    step = (len(items) - 1) / (n - 1)
    return [items[round(i * step)] for i in range(n)]
