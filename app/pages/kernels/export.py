"""Export the kernel: runnable PyTorch code, JSON and .npy downloads."""

import numpy as np
import streamlit as st

from app.pages.kernels import state
from models.convolution import ConvSettings
from models.kernel_export import pytorch_code, to_json, to_npy


def export_section(kernel: np.ndarray, settings: ConvSettings, rgb: bool) -> None:
    """The files are made only when a download button is clicked (deferred), not on every edit."""
    if not st.toggle("Export: PyTorch code, NumPy and JSON", key=state.KERN_SHOW_EXPORT,
                     help="Runnable code that reproduces this output, and the kernel as JSON or .npy."):
        return  # built only when asked for: every edit above would otherwise redraw it
    with st.container(border=True):
        code = pytorch_code(kernel, settings, rgb)
        st.markdown("Run `python kernel.py your_image.png out.npy`: it reproduces the output shown above "
                    "(ConvLab first downscales images longer than 1024 px).")
        st.code(code, language="python")
        c1, c2, c3 = st.columns(3)
        c1.download_button("Download kernel.py", lambda: code, "kernel.py", "text/x-python", on_click="ignore",
                           key="kern_dl_py")
        c2.download_button("Download settings (JSON)", lambda: to_json(kernel, settings, rgb), "kernel.json",
                           "application/json", on_click="ignore", key="kern_dl_json")
        c3.download_button("Download kernel (.npy)", lambda: to_npy(kernel), "kernel.npy", "application/octet-stream",
                           on_click="ignore", key="kern_dl_npy")
