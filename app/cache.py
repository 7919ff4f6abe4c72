"""Every st.cache_resource / st.cache_data wrapper in ConvLab lives here.

Heavy modules (torch, torchvision, models.*) are imported inside the functions, so importing
this file from Home costs nothing. Each page issue appends its own wrappers below.
"""

import streamlit as st  # noqa: F401  (used by the wrappers below)
