"""Pooling page (under construction)."""

import streamlit as st

st.title("Pooling")
st.info("This page is being built.")
