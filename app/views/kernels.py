"""Kernels page (under construction)."""

import streamlit as st

st.title("Kernels")
st.info("This page is being built.")
