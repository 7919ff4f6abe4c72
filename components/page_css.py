"""Page CSS for every page, with the projector's larger type and high contrast.

Kept apart from components.theme (numpy, colormaps) so the entry point does not import numpy: Home paints sooner.
"""

import streamlit as st

_BASE_CSS = """
<style>
  .block-container { padding-top: 2.2rem; }
  .convlab-big { font-size: 4rem; font-weight: 800; line-height: 1.05; }
</style>
"""

_PROJECTOR_CSS = """
<style>
  html { font-size: 22.4px !important; }  /* 1.4 x 16 px; Streamlit sizes text in rem */
  .stApp, .stApp p, .stApp li, .stApp label, .stApp span, .stMarkdown { color: #000000 !important; }
  .stApp { background: #ffffff !important; }
  section[data-testid="stSidebar"] { background: #ffffff !important; border-right: 3px solid #000000; }
  .stApp p, .stApp li, .stApp label { font-weight: 500; }
  .stApp h1, .stApp h2, .stApp h3 { color: #000000 !important; font-weight: 800; }
  .stApp a { color: #003c8f !important; text-decoration: underline; }
  div[data-baseweb="input"], div[data-baseweb="select"] > div, .stButton button, .stDownloadButton button {
      border: 2px solid #000000 !important;
  }
  div[data-testid="stVerticalBlockBorderWrapper"] { border-width: 3px !important; border-color: #000 !important; }
</style>
"""


def inject_css(projector: bool) -> None:
    st.html(_BASE_CSS + (_PROJECTOR_CSS if projector else ""))
