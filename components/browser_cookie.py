"""Write a session cookie (gone when the browser closes) from the server, through one tiny JS element.

Only names and values of letters, digits, '-' and '_' are accepted, so nothing a user typed can reach
the cookie string.
"""

import re

import streamlit as st

_SAFE = re.compile(r"[A-Za-z0-9_-]{1,200}")
_JS = """
export default function ({ data }) {
  document.cookie = `${data.name}=${data.value}; path=/; SameSite=Strict`;
}
"""
_writer = st.components.v2.component("convlab_session_cookie", js=_JS)


def set_session_cookie(name: str, value: str) -> None:
    """Set cookie `name`=`value` for this site (path /, SameSite=Strict, no expiry: a session cookie)."""
    if not (_SAFE.fullmatch(name) and _SAFE.fullmatch(value)):
        raise ValueError("cookie names and values must be letters, digits, '-' or '_'")
    _writer(key=f"cookie_{name}", data={"name": name, "value": value})
