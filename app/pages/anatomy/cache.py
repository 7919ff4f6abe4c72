"""The Anatomy page's cache wrappers: the training digits and the torchinfo check (thin: they call models/)."""

import streamlit as st


@st.cache_resource(max_entries=2, show_spinner="Loading MNIST training digits…")
def train_digits(which: str):
    """(images (N,28,28) uint8, labels (N,)): "subset" = shipped 10k, "full" = 60k MNIST from the data root."""
    from models import data

    if which == "full":
        return data.load_mnist(data.default_data_root(), train=True)
    return data.load_npz(data.TRAIN_SUBSET)


@st.cache_resource(show_spinner=False)
def heldout_digits():
    """The 1000 shipped MNIST test digits used for the held-out curve."""
    from models import data

    return data.load_npz(data.TEST_SAMPLE)


@st.cache_data(max_entries=32, ttl=3600, show_spinner="Running torchinfo…")
def torchinfo(spec: tuple, input_shape: tuple):
    """models.architecture.torchinfo_rows for a valid stack (a tuple of Layers) whose cost was checked."""
    from models.architecture import torchinfo_rows

    return torchinfo_rows(list(spec), input_shape)
