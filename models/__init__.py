"""ConvLab's domain layer: torch/numpy only, never streamlit."""
