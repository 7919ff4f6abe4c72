"""ConvLab entry point: logging, page config, the projector switch, and the router. Nothing else."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime import Runtime  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402

from app import session  # noqa: E402
from app.classroom import gate  # noqa: E402
from app.logging_setup import configure_logging  # noqa: E402
from app.registry import PAGES  # noqa: E402
from components.page_css import inject_css  # noqa: E402

configure_logging()
# Streamlit takes a `pages/` folder beside the entry script for an old-style page folder and runs the first
# script run of the process inside a generated navigation: that run's widgets get other ids, so the first
# click of the first visitor was lost. Our page packages live in app/pages/; such a run is started again on
# the page and query it resolved, as a plain st.navigation app (st.navigation clears the flag). AppTest wraps
# every run the same way and needs no restart (its runtime is a mock).
# tests/e2e/test_home_e2e.py::test_first_click_of_a_fresh_server_counts
wrapped_run = bool(PagesManager.uses_pages_directory) and type(Runtime.instance()) is Runtime
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
if wrapped_run:
    st.switch_page(navigation, query_params=st.query_params.to_dict())
gate()  # the class code, when `make classroom CODE=...` set one
navigation.run()
