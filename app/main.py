"""ConvLab entry point: page config, the projector switch, and the router. Nothing else."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app import state  # noqa: E402
from app.registry import PAGES  # noqa: E402
from components.page_css import inject_css  # noqa: E402

st.set_page_config(layout="wide", page_title="ConvLab", page_icon=str(ROOT / "assets" / "favicon.png"))

state.init_projector_from_url()
with st.sidebar:
    st.toggle("Projector mode", key=state.PROJECTOR,
              help="Bigger type, high contrast and thicker lines for a classroom projector. "
                   "Kept in the URL (?projector=1) so you can bookmark it.")
state.sync_projector_to_url()
inject_css(projector=state.projector_on())

home = st.Page("views/home.py", title="Home", icon=":material/home:", default=True)
pages = [home] + [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path) for p in PAGES]
st.navigation(pages).run()
