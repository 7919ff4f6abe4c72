"""Home: what ConvLab teaches, and one card per page. Must not import torch."""

import streamlit as st

from app.join_address import join_info
from app.registry import PAGES
from components.cards import page_card
from components.layout import explain
from components.qr_code import join_panel
from components.theme import projector

st.title("ConvLab: how a convolutional network sees an image")
st.markdown(
    "A CNN looks at an image through small **kernels** slid across it, shrinks what it finds with "
    "**pooling**, and learns which kernels help it decide. Every page here lets you change one of "
    "those ideas and see the effect at once."
)
explain(
    "Start with **Kernels** to see what one filter does to a photo, then **Pooling** to see how a "
    "network throws away resolution on purpose. **Transforms** shows how training images are prepared "
    "and batched. **Draw a digit** runs a real trained network on your handwriting, layer by layer, and "
    "**Anatomy & training** lets you design and train one yourself.",
    label="Where to start",
)

columns = st.columns(3)
for i, page in enumerate(PAGES):
    with columns[i % 3]:
        page_card(page.script, page.title, page.icon, page.promise, page.preview)

join = join_info()  # set when `make classroom` serves the app to a class
if join and projector():
    join_panel(join.url, join.qr_svg)
