"""Which digit CNN the Draw-a-digit page runs: the shipped one, or the one trained this session."""

import streamlit as st

from app import cache, state
from models.mnist_cnn import MnistCNN


def choose_model() -> tuple[MnistCNN, str]:
    """(model, id naming it for caches). Offers to switch when this session trained its own model.

    WeightsError propagates when the shipped weights cannot be loaded."""
    trained = st.session_state.get(state.TRAINED_MODEL)
    if trained is not None and not isinstance(trained, MnistCNN):
        st.warning("The model trained this session is not the digit CNN's shape, so the shipped model is used.")
        trained = None
    if trained is not None and not st.session_state.get(state.DIGITS_USE_SHIPPED, False):
        info = st.session_state.get(state.TRAINED_MODEL_INFO) or {}
        detail = ", ".join(f"{k}: {v}" for k, v in info.items())
        st.info(f"Using **the model you trained** on the Anatomy page (this session only{'; ' + detail if detail else ''}).")
        st.button("Switch back to the shipped model", key="digits_to_shipped",
                  on_click=lambda: st.session_state.update({state.DIGITS_USE_SHIPPED: True}))
        return trained, f"trained-{id(trained)}"
    if trained is not None:
        st.button("Use the model I trained this session", key="digits_to_trained",
                  on_click=lambda: st.session_state.update({state.DIGITS_USE_SHIPPED: False}))
    return cache.digit_model(), "shipped"
