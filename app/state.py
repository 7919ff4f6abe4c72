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

# --- Draw a digit keys moved to app/pages/digits/state.py; this one is still set by the Anatomy page ---
DIGITS_USE_SHIPPED = "digits_use_shipped"  # no longer read: Digits selects a newly trained model itself

