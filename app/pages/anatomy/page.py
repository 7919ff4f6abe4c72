"""Anatomy & training: design a CNN stack and watch its shapes flow; train the digit CNN live."""

import streamlit as st

from app.pages.anatomy import state
from app.pages.anatomy.explorer import explorer
from app.pages.anatomy.training import training_section
from components.layout import explain

state.init_defaults()
st.title("Anatomy & training")
explain(
    "A CNN is a stack of layers. **Convolution** layers learn kernels and make feature maps; **pooling** "
    "layers shrink them, so each unit deeper down sees a wider patch of the image (its **receptive field**); "
    "**linear** (fully connected) layers at the end make the decision. Going deeper, resolution falls and the "
    "number of feature maps grows. Edit the stack below and watch every shape change.",
    label="How a CNN is built")
explorer()
training_section()
