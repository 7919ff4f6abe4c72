"""Pictures of a conv layer's kernels, shared by the Kernels and Draw-a-digit pages."""

import streamlit as st


@st.cache_data(max_entries=16, show_spinner=False)
def kernel_picture(weights_bytes: bytes, _weights):
    """(PNG data URL, (height, width)) of a conv layer's kernel mosaic; keyed by the weights' bytes.

    _weights: (out, in, k, k) array whose bytes are `weights_bytes`.
    """
    from components.feature_maps import kernel_mosaic, png_data_url

    rgb = kernel_mosaic(_weights)
    return png_data_url(rgb), rgb.shape[:2]
