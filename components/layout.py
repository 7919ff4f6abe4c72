"""Small layout helpers shared by pages."""

import re

import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: object) -> str:
    """`text` escaped so st.markdown / st.error / st.caption show it literally (no links, images, HTML).

    >>> plain("[Log in](http://x)")
    '\\\\[Log in\\\\]\\\\(http\\\\:\\\\/\\\\/x\\\\)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def explain(markdown: str, label: str = "Explanation") -> None:
    """A longer explanation (app-written Markdown), always shown inline: a class must read it from the
    projector. A `label` other than the default becomes a bold lead-in."""
    lead = label if label.endswith((".", "?", "!", ":")) else f"{label}."
    st.markdown(f"**{lead}** {markdown}" if label != "Explanation" else markdown)
