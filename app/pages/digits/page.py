"""Draw a digit: a real trained CNN classifies your drawing live, with every layer on show."""

import streamlit as st

from app.pages.digits import state
from app.pages.digits.live import live

state.init_defaults()
st.title("Draw a digit")
st.markdown("Draw a digit in the box, or replay one written by a real person with a pen: a small CNN reads it "
            "while you draw, and every layer is shown below.")
live()
