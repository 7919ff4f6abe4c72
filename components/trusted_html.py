"""Trusted HTML/SVG blocks, each shown through ONE st.components.v2 element.

st.html sanitises its markup (DOMPurify) and st.markdown builds a React element per node, on every
rerun; this element only swaps its innerHTML when the markup changed, so the browser parses it natively.
The markup stays in the page's DOM (no shadow root, no iframe), so data-* attributes stay readable by
the browser tests. Only markup built by the app goes in (numbers and fixed labels), never user text.
"""

import streamlit as st

_JS = """
export default function ({ data, parentElement }) {
  if (parentElement.__trustedHtml !== data.html) {
    parentElement.__trustedHtml = data.html;
    parentElement.innerHTML = data.html;
  }
}
"""
_view = st.components.v2.component("convlab_trusted_html", js=_JS, isolate_styles=False)


def trusted_html(html: str, key: str) -> None:
    """Show `html` (markup built by the app) in the element `key`; the same key keeps it mounted."""
    _view(key=key, data={"html": html}, width="stretch")
