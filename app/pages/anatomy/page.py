"""Anatomy & training: design a CNN stack and watch its shapes flow; train the digit CNN live."""

import copy

import streamlit as st

from app import cache, state
from components import stack_editor, training_panel
from components.anatomy_depth_svg import depth_chart
from components.anatomy_shape_table import shape_table
from components.layout import explain
from models import architecture as arch
from models import data
from models import live_training as lt
from models.mnist_cnn import MnistCNN

POLL_SECONDS = 1.0
DEFAULT_SPEC = (arch.PRESETS[arch.DEFAULT_PRESET], (1, 28, 28))
projector = state.projector_on()
st.title("Anatomy & training")
explain(
    "A CNN is a stack of layers. **Convolution** layers learn kernels and make feature maps; **pooling** "
    "layers shrink them, so each unit deeper down sees a wider patch of the image (its **receptive field**); "
    "**linear** (fully connected) layers at the end make the decision. Going deeper, resolution falls and the "
    "number of feature maps grows. Edit the stack below and watch every shape change.",
    projector, label="How a CNN is built")


@st.fragment
def explorer() -> None:
    st.subheader("Architecture explorer")
    c1, c2 = st.columns(2)
    c1.selectbox("Start from", list(arch.PRESETS), key=state.ANATOMY_PRESET)
    c2.radio("Input image", list(arch.INPUTS), key=state.ANATOMY_INPUT, horizontal=True)
    stack_view()
    stack_details()


@st.fragment
def stack_view() -> None:
    """The editor and the shape table. Its own fragment: an edit reruns only this, so the table is quick."""
    preset = st.session_state[state.ANATOMY_PRESET]
    input_shape = arch.INPUTS[st.session_state[state.ANATOMY_INPUT]]
    resets = st.session_state.get(state.ANATOMY_RESETS, 0)
    editor_key = f"{state.ANATOMY_EDITOR}_{list(arch.PRESETS).index(preset)}_{resets}"
    left, right = (st.container(), st.container()) if projector else st.columns([5, 6])
    with left:
        st.caption("Edit any cell (Enter or Tab applies it); **+ Add layer** appends a row, ✕ deletes one. "
                   "Blank pool stride = k.")
        spec = stack_editor.layer_editor(arch.PRESETS[preset], editor_key, input_shape, projector)
    rows = arch.propagate(spec, input_shape)
    st.session_state[state.ANATOMY_SPEC] = (spec, input_shape)
    with right:
        shape_table(rows, input_shape, arch.total_params(rows), projector)
        for problem in arch.stack_problems(rows):
            st.error(problem, icon=":material/error:")
    left.button("Reset to preset", key="anatomy_reset", icon=":material/restart_alt:",
                on_click=lambda: st.session_state.update({state.ANATOMY_RESETS: resets + 1}))


@st.fragment
def stack_details() -> None:
    """Depth chart, trainability and code for the stack in the editor. After an edit the chart asks for
    this fragment's rerun once the table is drawn (components.anatomy_depth_svg), out of the edit's way."""
    spec, input_shape = st.session_state.get(state.ANATOMY_SPEC, DEFAULT_SPEC)
    rows = arch.propagate(spec, input_shape)
    depth_chart(*arch.depth_profile(rows, input_shape), projector, stack_editor.stack_id(spec, input_shape))
    if arch.stack_problems(rows):
        st.warning("Fix the flagged rows to export the stack as PyTorch code.")
        return
    reason = arch.trainable_reason(rows, input_shape)
    st.caption("This stack can be trained below (choose *My designed stack*)." if reason is None
               else f"Training below uses the digit CNN: {reason}")
    with st.expander("PyTorch code (nn.Sequential)", expanded=not projector):
        st.code(arch.to_code(spec, input_shape), language="python")
        if st.toggle("Check the code with torchinfo", key=state.ANATOMY_TORCHINFO):
            info_rows, total, text = cache.anatomy_torchinfo(tuple(spec), tuple(input_shape))
            same = info_rows == [(r.shape, r.params) for r in rows] and total == arch.total_params(rows)
            (st.success if same else st.error)(
                f"torchinfo {'agrees' if same else 'DISAGREES'} with the table: {total:,} parameters, "
                f"output {arch.shape_text(info_rows[-1][0])}.")
            st.code(text, language="text")


def _build_trainer(choice: dict) -> lt.LiveTrainer:
    spec, input_shape = st.session_state.get(state.ANATOMY_SPEC, DEFAULT_SPEC)
    if choice["what"] == "stack" and not arch.is_digit_cnn(spec):
        build, label = (lambda: arch.to_sequential(spec, input_shape)), "your designed stack"
    else:
        build, label = MnistCNN, "the digit CNN"
    settings = lt.TrainSettings(epochs=int(choice["epochs"]), batch_size=int(choice["batch_size"]),
                                lr=float(choice["lr"]), optimizer=choice["optimizer"], seed=int(choice["seed"]),
                                snapshot_every=int(choice["snapshot_every"]))
    return lt.LiveTrainer(build, cache.anatomy_train_digits(choice["dataset"]), cache.anatomy_heldout_digits(),
                          settings, label=label)


def _send_to_digits(trainer: lt.LiveTrainer) -> None:
    p = trainer.progress()
    st.session_state[state.TRAINED_MODEL] = copy.deepcopy(trainer.model).eval()
    st.session_state[state.TRAINED_MODEL_INFO] = {
        "trained": f"{p.iteration} iterations ({p.iteration / p.iterations_per_epoch:.1f} epochs)",
        "held-out accuracy": f"{p.final_accuracy:.1%}",
        "settings": f"{lt.OPTIMIZERS[trainer.settings.optimizer]}, lr {trainer.settings.lr}, "
                    f"batch {trainer.settings.batch_size}, seed {trainer.settings.seed}"}
    st.session_state[state.DIGITS_USE_SHIPPED] = False


def training(polling: bool) -> None:
    st.subheader("Live training")
    trainer = st.session_state.get(state.ANATOMY_TRAINER)
    running = trainer is not None and trainer.running
    if polling and not running:
        st.rerun()  # training ended: redraw the page once without the timer
    spec, input_shape = st.session_state.get(state.ANATOMY_SPEC, DEFAULT_SPEC)
    reason = arch.trainable_reason(arch.propagate(spec, input_shape), input_shape)
    choice = training_panel.settings(running, reason, data.has_full_mnist(data.default_data_root()), lt.OPTIMIZERS)
    start, stop = training_panel.buttons(running, can_start=choice["what"] == "digit" or reason is None)
    if start:
        try:
            st.session_state[state.ANATOMY_TRAINER] = _build_trainer(choice).start()
        except (lt.TrainingConfigError, arch.ArchitectureError, data.DataError) as exc:
            st.error(f"Training could not start: {exc}")
            return
        st.rerun()  # redraw with the polling timer on
    if stop and trainer is not None:
        trainer.stop()
    if trainer is None:
        st.caption("Press **Start training** to watch the loss fall and the first-layer kernels take shape.")
        return
    p = trainer.progress()
    training_panel.progress_view(p, trainer.label, projector)
    if p.done and p.final_accuracy is not None:
        if trainer.label != "the digit CNN":
            st.info("Only the digit CNN can be sent to the Draw-a-digit page, which shows its named layers.")
        elif st.button("Use this model on the Draw a digit page (this session only)", key="anatomy_send",
                       icon=":material/send:"):
            _send_to_digits(trainer)
        if st.session_state.get(state.TRAINED_MODEL) is not None:
            st.success("The Draw a digit page in this session now uses the model you trained. "
                       "The shipped weights are untouched.")
            st.page_link("views/digits.py", label="Open Draw a digit", icon=":material/draw:")


explorer()
_trainer = st.session_state.get(state.ANATOMY_TRAINER)
_running = _trainer is not None and _trainer.running
st.fragment(training, run_every=POLL_SECONDS if _running else None)(polling=_running)
