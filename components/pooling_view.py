"""Trusted HTML/SVG blocks of the Pooling page, each shown through ONE st.components.v2 element.

st.markdown pushes an SVG through the browser's markdown parser and builds a React element per SVG
node (tens of milliseconds per figure); this element just swaps the block's innerHTML when the
markup changed, so the browser parses it natively. The markup stays in the page's DOM (no shadow
root, no iframe): the data-* attributes of the figures remain readable by the browser tests. Only
markup built by the page goes in (numbers and fixed labels, escaped where needed), never user text.
"""

import streamlit as st

_JS = """
export default function ({ data, parentElement }) {
  if (parentElement.__poolHtml !== data.html) {
    parentElement.__poolHtml = data.html;
    parentElement.innerHTML = data.html;
  }
}
"""
_view = st.components.v2.component("convlab_pool_view", js=_JS, isolate_styles=False)


def view(html: str, key: str) -> None:
    """Show `html` (trusted markup) in the element `key`; same key on every run keeps it mounted."""
    _view(key=key, data={"html": f'<div class="pool-view">{html}</div>'}, width="stretch")
