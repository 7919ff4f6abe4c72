"""Draw a digit: a real trained CNN classifies your drawing live, with every layer on show."""

import streamlit as st

from app.pages.digits import state
from app.pages.digits.live import live
from components.layout import explain

state.init_defaults()
st.title("Draw a digit")
explain(
    "Draw a digit below, or replay one written by a real person with a pen. Your drawing is cropped, shrunk "
    "to 20 px and centred in a 28×28 frame, the way MNIST's digits were made; then a small CNN (two 3×3 "
    "convolution layers, two poolings, two fully connected layers) classifies it. Every feature map below "
    "is recomputed while you draw: **click any map** to enlarge it beside the kernels that made it and the "
    "input they looked at.",
    label="What happens here")
live()
