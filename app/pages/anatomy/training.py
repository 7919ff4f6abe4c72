"""Live training: start a run in its own process, poll its progress, keep it alive, hand the model to Digits."""

import streamlit as st

from app import session
from app.pages.anatomy import cache, state, training_panel, url_state
from components.layout import plain
from models import architecture as arch
from models import data, stack_cost
from models import live_training as lt
from models import training_job as tj
from models.resource_policy import ResourceLimitError

POLL_SECONDS = 1.5


def training_section() -> None:
    """Adopt this tab's run after a reload (?job=), then draw the section, polling while a run is going."""
    job = st.session_state.get(state.ANATOMY_TRAINER)
    if job is None and (found := url_state.job_from_url()) is not None:
        found.touch()
        st.session_state[state.ANATOMY_TRAINER] = job = found
        st.session_state.update({state.ANATOMY_EPOCHS: found.settings.epochs,  # show the run's own settings
                                 state.ANATOMY_BATCH: found.settings.batch_size, state.ANATOMY_LR: found.settings.lr,
                                 state.ANATOMY_OPTIMIZER: found.settings.optimizer,
                                 state.ANATOMY_SEED: found.settings.seed,
                                 state.ANATOMY_SNAPSHOT_EVERY: found.settings.snapshot_every})
        st.toast("Found the training this tab started before it was reloaded.", icon=":material/history:")
    running = job is not None and job.running
    if running:
        job.touch()  # any run of the page counts as its heartbeat too
    st.fragment(training, run_every=POLL_SECONDS if running else None)(polling=running)


def _recipe(choice: dict) -> tuple[lt.Recipe, list[arch.Row]]:
    spec, input_shape = state.current_spec()
    if choice["what"] == "stack" and not arch.is_digit_cnn(spec):
        return lt.Recipe(tuple(spec), tuple(input_shape)), arch.propagate(spec, input_shape)
    digit = arch.INPUTS["28x28x1 (MNIST digit)"]
    return lt.Recipe(), arch.propagate(arch.PRESETS[arch.DEFAULT_PRESET], digit)


def _settings(choice: dict) -> lt.TrainSettings:
    return lt.TrainSettings(epochs=int(choice["epochs"]), batch_size=int(choice["batch_size"]),
                            lr=float(choice["lr"]), optimizer=choice["optimizer"], seed=int(choice["seed"]),
                            snapshot_every=int(choice["snapshot_every"]))


def _cost_reason(choice: dict, n_train: int) -> str | None:
    """Why this run is refused before it starts (too much memory or computing), or None."""
    try:
        recipe, rows = _recipe(choice)
        settings = _settings(choice)
        stack_cost.check_training(rows, recipe.input_shape, settings.batch_size, settings.iterations(n_train),
                                  settings.evaluations(n_train))
    except (ResourceLimitError, lt.TrainingConfigError) as err:
        return str(err)
    return None


def _start(choice: dict) -> None:
    recipe, _ = _recipe(choice)
    job = tj.TrainingJob(recipe, cache.train_digits(choice["dataset"]), cache.heldout_digits(), _settings(choice))
    st.session_state[state.ANATOMY_TRAINER] = job.start()
    st.session_state[state.ANATOMY_SENT] = False
    url_state.keep_job_in_url(job)


def _send_to_digits(job: tj.TrainingJob) -> None:
    try:
        model = job.trained_model()
    except lt.DivergedError as err:
        st.error(plain(err))
        return
    st.session_state[session.TRAINED_MODEL] = model
    st.session_state[session.TRAINED_MODEL_INFO] = job.summary()
    st.session_state[state.ANATOMY_SENT] = True


def training(polling: bool) -> None:
    st.header("Live training")
    job = st.session_state.get(state.ANATOMY_TRAINER)
    running = job is not None and job.running
    if running:
        job.touch()  # the heartbeat: without polls for models.training_job.GRACE_SECONDS the run is ended
    if polling and not running:
        st.rerun()  # training ended: redraw the page once without the timer
    spec, input_shape = state.current_spec()
    reason = arch.trainable_reason(arch.propagate(spec, input_shape), input_shape)
    choice = training_panel.settings(running, reason, data.has_full_mnist(data.default_data_root()), lt.OPTIMIZERS)
    too_big = None if running else _cost_reason(choice, len(cache.train_digits(choice["dataset"])[1]))
    if too_big and (choice["what"] == "digit" or reason is None):
        st.error(too_big, icon=":material/memory:")
    start, stop = training_panel.buttons(running, can_start=(choice["what"] == "digit" or reason is None)
                                         and too_big is None)
    if start:
        try:
            _start(choice)
        except (lt.TrainingConfigError, arch.ArchitectureError, data.DataError) as exc:
            st.error(f"Training could not start: {plain(exc)}")
            return
        st.rerun()  # redraw with the polling timer on
    if stop and job is not None:
        job.stop()
    if job is None:
        st.caption("Press **Start training** to watch the loss fall and the first-layer kernels take shape.")
        return
    p = job.progress()
    training_panel.progress_view(p, job.label)
    if p.done and p.final_accuracy is not None:
        _handoff(job)


def _handoff(job: tj.TrainingJob) -> None:
    if job.label != "the digit CNN":
        st.info("Only the digit CNN can be sent to the Draw-a-digit page, which shows its named layers.")
    elif st.button("Use this model on the Draw a digit page (this session only)", key="anatomy_send",
                   icon=":material/send:"):
        _send_to_digits(job)
    if st.session_state.get(state.ANATOMY_SENT) and st.session_state.get(session.TRAINED_MODEL) is not None:
        st.success("The Draw a digit page in this session now uses the model you trained. "
                   "The shipped weights are untouched.")
        st.page_link("pages/digits/page.py", label="Open Draw a digit", icon=":material/draw:")
