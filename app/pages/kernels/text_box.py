"""The Kernels page's "type or paste a kernel as text" box, kept in step with the grid."""

import numpy as np
import streamlit as st

from app.pages.kernels import state
from components.layout import plain
from models.kernels import MAX_TEXT_CHARS, KernelError, format_text, parse_text


def _apply_text() -> None:
    """Read the typed text into the custom kernel (or keep why it could not be read)."""
    try:
        st.session_state[state.KERN_CUSTOM] = parse_text(st.session_state.get(state.KERN_TEXT, ""))
    except KernelError as exc:
        st.session_state[state.KERN_TEXT_ERROR] = str(exc)
        return
    st.session_state[state.KERN_TEXT_ERROR] = None
    st.session_state[state.KERN_PRESET] = state.CUSTOM
    st.session_state[state.KERN_REDRAW] = True  # the preset picker sits outside the grid's fragment


def text_box(kernel: np.ndarray) -> None:
    """The text area showing `kernel` (k,k); Apply text replaces the kernel with what was typed."""
    text = format_text(kernel)
    if st.session_state.get(state.KERN_TEXT_SYNC) != text:
        st.session_state[state.KERN_TEXT] = text
        st.session_state[state.KERN_TEXT_SYNC] = text
    with st.expander("Type or paste a kernel as text"):
        with st.form("kern_text_form", border=False):
            st.text_area("One row per line, numbers separated by spaces or commas", key=state.KERN_TEXT,
                         height=140, max_chars=MAX_TEXT_CHARS)
            st.form_submit_button("Apply text", on_click=_apply_text)
        if st.session_state.get(state.KERN_TEXT_ERROR):
            st.error(plain(st.session_state[state.KERN_TEXT_ERROR]))
