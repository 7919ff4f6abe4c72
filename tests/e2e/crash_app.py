"""A script that fails on purpose, run by tests/e2e/test_errors_e2e.py with ConvLab's config and logging."""

import logging

import streamlit as st

from app.logging_setup import configure_logging

configure_logging()
st.title("Crash probe")
try:
    {}["caught-key"]
except KeyError:
    logging.getLogger("app.crash_probe").exception("handled failure, shown to the student as a short message")
    st.error("Something went wrong; the details are in the server log.")
raise RuntimeError("uncaught failure with a secret path /srv/secret/weights.pt")
