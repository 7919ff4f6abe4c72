"""Rerunning named parts of a page (keyed st.fragment) from a widget callback."""

import streamlit as st
from streamlit.errors import StreamlitAPIException


def rerun_parts(*keys: str) -> None:
    """Widget callback: rerun exactly these fragments, in this order (the whole page if one of them is not
    registered yet, e.g. a click that lands while the page's first run is still under way)."""
    try:
        st.rerun(list(keys))
    except StreamlitAPIException:
        st.rerun()


def rerun_page() -> None:
    """Widget callback: rerun the whole page (a change that every part of it must see)."""
    st.rerun()
