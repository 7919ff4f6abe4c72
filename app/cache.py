"""Every st.cache_resource / st.cache_data wrapper in ConvLab lives here.

Heavy modules (torch, torchvision, models.*) are imported inside the functions, so importing
this file from Home costs nothing. Each page issue appends its own wrappers below.
"""

import streamlit as st  # noqa: F401  (used by the wrappers below)


# --- Shared image input (app/inputs.py) ---
@st.cache_data(max_entries=64, show_spinner=False)
def decoded_upload(data: bytes, name: str):
    """Decode uploaded/webcam bytes once per distinct file; ImageError propagates to the caller."""
    from models.images import load_image

    return load_image(data, name=name)


@st.cache_data(max_entries=16, show_spinner=False)
def sample_image(name: str):
    from models.images import load_sample

    return load_sample(name)
