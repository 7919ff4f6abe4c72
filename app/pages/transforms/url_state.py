"""The page's query parameter: ?tf=<code> holds the pipeline and the seed (models.pipeline_io.encode_url)."""

import streamlit as st

from app.pages.transforms import state
from components.layout import plain
from models.pipeline_io import PipelineFileError, decode_url, encode_url

URL_KEY = "tf"


def load_from_url() -> None:
    """On the first run of a session, replace the default steps with the link's (validated; never raises)."""
    ss = st.session_state
    if ss.get(state.URL_DONE):
        return
    ss[state.URL_DONE] = True
    code = st.query_params.get(URL_KEY)
    if not code:
        return
    try:
        state.replace_steps(*decode_url(code))
        ss[state.NOTICE] = ("success", "Loaded the pipeline from the link.")
    except PipelineFileError as exc:
        ss[state.NOTICE] = ("warning", plain(f"{exc} Starting from the {state.DEFAULT_PRESET} preset instead."))


def sync_url(steps: list[dict], seed: int) -> str:
    """Keep ?tf= equal to the current pipeline; returns the code."""
    code = encode_url(steps, seed)
    if st.query_params.get(URL_KEY) != code:
        st.query_params[URL_KEY] = code
    return code
