"""Export & share: the generated Python code, JSON download/upload, the shareable link, and the custom
transform's source as an example of writing your own."""

import inspect

import streamlit as st

from components.theme import projector
from models.custom_transform import RandomSaltAndPepper
from models.pipeline_io import export_code, to_json

TO_TENSOR_MD = """
**Where did `ToTensor` go?** In `torchvision.transforms.v2` the legacy `ToTensor()` is split in two honest steps:
`v2.ToImage()` turns a PIL image (H×W×C, uint8) into a `tv_tensors.Image` (C×H×W, still uint8 0..255), and
`v2.ToDtype(torch.float32, scale=True)` converts it to floats in 0..1. `ToTensor` did both at once, silently.
The way back is `v2.ToPILImage()` (float 0..1 or uint8 tensor → PIL). Normalize must come *after* the float
conversion: it computes `(x − mean) / std` and expects x in 0..1.
"""


def render_export(steps: list[dict], seed: int, line: str, import_key: str, on_import) -> None:
    code = export_code(steps, seed, line)
    st.markdown("**Python code** — runs the same pipeline with the same seed and gives exactly the final "
                "stage shown on this page (same torch and torchvision versions).")
    c1, c2 = st.columns(2)
    c1.download_button("Download pipeline.py", code, file_name="pipeline.py", mime="text/x-python",
                       icon=":material/download:", key="tf_dl_code", on_click="ignore")
    c2.download_button("Download pipeline.json", to_json(steps, seed), file_name="pipeline.json",
                       mime="application/json", icon=":material/data_object:", key="tf_dl_json",
                       on_click="ignore")
    st.code(code, language="python", line_numbers=not projector(), wrap_lines=True)
    st.file_uploader("Load a pipeline.json (replaces the current steps)", type=["json"], key=import_key,
                     on_change=on_import, help="A file downloaded from this page. Nothing in it is executed.")
    st.markdown("**Share:** the address bar always holds the current pipeline and seed (`?tf=...`); "
                "copy the link to give someone exactly this pipeline.")
    st.markdown(TO_TENSOR_MD)
    st.markdown("**Writing your own transform.** Subclass `v2.Transform`; draw random choices in `make_params` "
                "(called once per call, so image and masks agree) and apply them in `transform`. This is the "
                "`RandomSaltAndPepper (custom)` entry of the catalogue:")
    st.code(inspect.getsource(RandomSaltAndPepper), language="python", wrap_lines=True)
