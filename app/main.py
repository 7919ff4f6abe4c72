"""ConvLab entry point: logging, page config, the projector switch, and the router. Nothing else."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402

from app import session  # noqa: E402
from app.classroom import gate  # noqa: E402
from app.logging_setup import configure_logging  # noqa: E402
from app.registry import PAGES  # noqa: E402
from components.page_css import inject_css  # noqa: E402

configure_logging()
# Streamlit takes a `pages/` folder beside the entry script for an old-style page folder and runs the first
# script run of the process inside a generated navigation: that run's widgets get other ids, so the first
# click of the first visitor was lost. Our page packages live in app/pages/; start that run again as a
# plain st.navigation app (tests/e2e/test_home_e2e.py::test_first_click_of_a_fresh_server_counts).
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
# In projector mode the sidebar starts collapsed: at 1024 px it would take 300 px from the page.
st.set_page_config(layout="wide", page_title="ConvLab", page_icon=str(ROOT / "assets" / "favicon.png"),
                   initial_sidebar_state="collapsed" if session.init_projector_from_url() else "auto")
with st.sidebar:
    st.toggle("Projector mode", key=session.PROJECTOR,
              help="Bigger type, high contrast and thicker lines for a classroom projector. "
                   "Kept in the URL (?projector=1) so you can bookmark it.")
session.sync_projector_to_url()
inject_css()

home = st.Page("pages/home/page.py", title="Home", icon=":material/home:", default=True)
pages = [home] + [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path) for p in PAGES]
navigation = st.navigation(pages)
gate()  # the class code, when `make classroom CODE=...` set one
navigation.run()
