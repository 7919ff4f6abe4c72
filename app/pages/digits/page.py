"""Draw a digit: a real trained CNN classifies your drawing live, with every layer on show."""

import streamlit as st

from app.pages.digits import maps, state
from app.pages.digits.live import answer_part, diagram_part, input_part, maps_part, model_part
from components.theme import projector

state.init_defaults()
st.title("Draw a digit")
st.markdown("Draw a digit in the box, or replay one written by a real person with a pen: a small CNN reads it "
            "while you draw, and every layer is shown below.")
left, right = st.columns([1, 1] if projector() else [1, 2], gap="large")
with right:
    model_part()
with left:
    input_part()
with right:
    answer_part()
diagram_part()
maps.heading()
maps.settings()
maps_part()
