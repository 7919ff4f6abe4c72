"""Small layout helpers shared by pages."""

import streamlit as st


def explain(markdown: str, projector: bool, label: str = "Explanation") -> None:
    """A long explanation: shown inline normally, folded into an expander on a projector."""
    if projector:
        with st.expander(label):
            st.markdown(markdown)
    else:
        st.markdown(markdown)
