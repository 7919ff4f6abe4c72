"""Every st.cache_resource / st.cache_data wrapper in ConvLab lives here.

Heavy modules (torch, torchvision, models.*) are imported inside the functions, so importing
this file from Home costs nothing. Each page issue appends its own wrappers below.
"""

import streamlit as st  # noqa: F401  (used by the wrappers below)

# --- moved to components/kernel_pictures.py (shared by Digits and Kernels); kept importable from here ---
from components.kernel_pictures import kernel_picture  # noqa: F401
