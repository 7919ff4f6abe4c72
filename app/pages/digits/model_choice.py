"""Which digit CNN the page runs: one of the shipped models, or the one trained this session on Anatomy."""

import logging
import re
from dataclasses import dataclass

import streamlit as st

from app import session
from app.pages.digits import cache, state
from components.layout import plain
from models.mnist_cnn import MODEL_CHOICES, MnistCNN, WeightsError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choice:
    name: str  # a MODEL_CHOICES name or state.TRAINED
    model: MnistCNN | None  # None when its weights could not be loaded
    model_id: str  # names the model for caches
    label: str
    error: str | None = None  # why the weights could not be loaded (model is None)


def _without_paths(text: str) -> str:
    """Server paths cut down to their file name (students never see the server's folders)."""
    return re.sub(r"(?:[A-Za-z]:)?[\\/](?:[^\s\\/]+[\\/])+([^\s\\/]+)", r"\1", text)


def _trained() -> MnistCNN | None:
    """This session's model from the Anatomy page, if it has the digit CNN's shape."""
    trained = st.session_state.get(session.TRAINED_MODEL)
    return trained if isinstance(trained, MnistCNN) else None


def labels() -> dict[str, str]:
    """Choice name -> label, with this session's model last when there is one."""
    out = dict(MODEL_CHOICES)
    if _trained() is not None:
        out[state.TRAINED] = "The model you trained (this session)"
    return out


def _follow_new_training(trained: MnistCNN | None) -> None:
    """A model trained since the last visit is selected once; afterwards the student's choice holds."""
    ss = st.session_state
    if trained is not None and ss.get(state.DIGITS_SEEN_TRAINED) != id(trained):
        ss[state.DIGITS_SEEN_TRAINED] = id(trained)
        ss[state.DIGITS_MODEL] = state.TRAINED


def chosen() -> Choice:
    """The chosen model, from session state (no widgets). Never raises for bad weights: model is None
    (model_selector() says why).

    A loaded model is remembered in the session (state.DIGITS_CHOICE): a drawing update asks three times,
    and each call of the cached loader hashed its arguments and inspected its signature."""
    ss = st.session_state
    options = labels()
    name = ss.get(state.DIGITS_MODEL)
    name = name if name in options else state.DEFAULT_MODEL
    if name == state.TRAINED:
        trained = _trained()
        return Choice(name, trained, f"trained-{id(trained)}", options[name])
    memo = ss.get(state.DIGITS_CHOICE)
    if isinstance(memo, Choice) and memo.name == name and memo.model is not None:
        return memo
    try:
        choice = Choice(name, cache.digit_model(name), name, options[name])
    except WeightsError as exc:
        return Choice(name, None, name, options[name], str(exc))
    ss[state.DIGITS_CHOICE] = choice
    return choice


def model_selector(on_change) -> Choice:
    """The model selector (on_change: its callback) and what it chose, with a message when the model is
    not the digit CNN's shape or its weights cannot be loaded."""
    trained = st.session_state.get(session.TRAINED_MODEL)
    if trained is not None and not isinstance(trained, MnistCNN):
        st.warning("The model trained this session is not the digit CNN's shape, so it is not offered here.")
    options = labels()
    _follow_new_training(_trained())
    if st.session_state.get(state.DIGITS_MODEL) not in options:
        st.session_state[state.DIGITS_MODEL] = state.DEFAULT_MODEL
    st.radio("Model", list(options), format_func=options.get, key=state.DIGITS_MODEL, horizontal=True,
             help="Two copies of the same small CNN, trained on different data.", on_change=on_change)
    choice = chosen()
    if choice.name == state.TRAINED:
        info = st.session_state.get(session.TRAINED_MODEL_INFO) or {}
        detail = ", ".join(f"{k}: {v}" for k, v in info.items())
        st.info("Using **the model you trained** on the Anatomy page (this session only"
                + (f"; {plain(detail)})." if detail else ")."))
    elif choice.error is not None:
        log.warning("digit model %s refused: %s", choice.name, choice.error)
        st.error(plain(f"The model “{choice.label}” could not be loaded, so nothing is classified. "
                       f"{_without_paths(choice.error)}"))
    return choice
