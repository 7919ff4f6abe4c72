"""Cache wrappers of the Transforms page: thin calls into models/ (results are read-only, entries bounded)."""

from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

import streamlit as st

OUTCOMES_TIMEOUT_S = 30.0  # the grid's own CPU budget stops it at 5 s of computing; this covers a busy queue


@st.cache_resource(show_spinner=False)
def worker_pool():
    """The server's one pool of worker processes (models.worker_pool), usually started by the launcher."""
    from models.worker_pool import server_pool

    pool = server_pool()
    pool.warm()
    return pool


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def stages(image_id: str, _image, pipeline_code: str, _steps, seed: int):
    """models.pipeline.run_stages, identified by the image id and the pipeline's URL code."""
    from models.pipeline import run_stages

    return run_stages(_steps, _image, seed)


class OutcomesRefused(Exception):
    """The random grid could not be made; the message is plain text for the page."""


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def outcomes(image_id: str, _image, pipeline_code: str, _steps, seed: int, n: int):
    """models.pipeline.sample_outcomes, run in a worker process; OutcomesRefused (not cached) if it cannot be."""
    from models.pipeline import sample_outcomes
    from models.resource_policy import ResourceLimitError

    future = worker_pool().submit(sample_outcomes, _steps, _image, seed, n)
    try:
        return future.result(timeout=OUTCOMES_TIMEOUT_S)
    except ResourceLimitError as exc:
        raise OutcomesRefused(str(exc)) from None
    except FutureTimeout:
        raise OutcomesRefused(f"The random grid took longer than {OUTCOMES_TIMEOUT_S:g} s (the server is busy). "
                              "Try again in a moment, or with fewer outcomes.") from None
    except BrokenProcessPool:
        raise OutcomesRefused("The worker computing the grid stopped unexpectedly. Try again.") from None


@st.cache_data(max_entries=4, show_spinner=False)
def dataset_arrays(source: str):
    """(images, labels, class names) for the Dataset demo: the shipped MNIST sample or small sample photos."""
    from models.digit_dataset import dataset_arrays

    return dataset_arrays(source)
