"""Draw a digit page (under construction)."""

import streamlit as st

st.title("Draw a digit")
st.info("This page is being built.")
