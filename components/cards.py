"""Home-page cards: one bordered card per page with a preview image and a link."""

from pathlib import Path

import streamlit as st

PREVIEWS = Path(__file__).resolve().parents[1] / "assets" / "previews"


def page_card(script: str, title: str, icon: str, promise: str, preview: str) -> None:
    """A card: the preview picture (alt text names the page), a full-width link, the one-line promise."""
    with st.container(border=True):
        image = PREVIEWS / preview
        if image.exists():
            st.image(str(image), width="stretch", alt=f"Preview of the {title} page")
        st.page_link(script, label=f"**{title}**", icon=icon, width="stretch")
        st.markdown(promise)
