"""The few session-state keys that cross pages, and projector mode. Page-own keys live in app/pages/<page>/state.py."""

import streamlit as st

from components.theme import PROJECTOR_KEY, projector

PROJECTOR = PROJECTOR_KEY  # bool: projector mode on (mirrored in the URL as ?projector=1); owned by app/main.py

# Anatomy & training -> Draw a digit
TRAINED_MODEL = "trained_model"  # MnistCNN in eval mode trained on the Anatomy page, this session only
TRAINED_MODEL_INFO = "trained_model_info"  # dict: epochs, test accuracy, when; labels it on the Digits page


def init_projector_from_url() -> bool:
    """On the first run of a session, take projector mode from ?projector=1; return projector mode."""
    if PROJECTOR not in st.session_state:
        st.session_state[PROJECTOR] = st.query_params.get("projector") == "1"
    return projector()


def sync_projector_to_url() -> None:
    """Keep ?projector=1 in the URL while projector mode is on, on every page."""
    if projector():
        st.query_params["projector"] = "1"
    elif "projector" in st.query_params:
        del st.query_params["projector"]
