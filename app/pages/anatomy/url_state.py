"""The Anatomy page's query parameter: `?job=<id>` names this tab's running training, so a reload finds it."""

import streamlit as st

from models import training_job

JOB_PARAM = "job"


def job_from_url() -> training_job.TrainingJob | None:
    """The training named by ?job= (validated by models.training_job.find), or None; drops an unknown id."""
    value = st.query_params.get(JOB_PARAM)
    if value is None:
        return None
    job = training_job.find(value)
    if job is None:
        del st.query_params[JOB_PARAM]
    return job


def keep_job_in_url(job: training_job.TrainingJob) -> None:
    st.query_params[JOB_PARAM] = job.id
