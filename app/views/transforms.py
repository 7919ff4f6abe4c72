"""Transforms page (under construction)."""

import streamlit as st

st.title("Transforms")
st.info("This page is being built.")
