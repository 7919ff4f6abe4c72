"""Anatomy & training page (under construction)."""

import streamlit as st

st.title("Anatomy & training")
st.info("This page is being built.")
