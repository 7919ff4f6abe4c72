"""Cache wrappers of the Transforms page: thin calls into models/ (results are read-only)."""

import streamlit as st


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def stages(image_id: str, _image, pipeline_code: str, _steps, seed: int):
    """models.pipeline.run_stages, identified by the image id and the pipeline's URL code."""
    from models.pipeline import run_stages

    return run_stages(_steps, _image, seed)


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def outcomes(image_id: str, _image, pipeline_code: str, _steps, seed: int, n: int):
    from models.pipeline import sample_outcomes

    return sample_outcomes(_steps, _image, seed, n)


@st.cache_data(max_entries=4, show_spinner=False)
def dataset_arrays(source: str):
    """(images, labels, class names) for the Dataset demo: the shipped MNIST sample or small sample photos."""
    from models.digit_dataset import dataset_arrays

    return dataset_arrays(source)
