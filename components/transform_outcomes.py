"""The random grid: many outcomes of the whole pipeline, each with the parameters its random steps drew."""

import streamlit as st

from components.stage_strip import png


def render_outcomes(outcomes, per_row: int, projector: bool) -> None:
    """outcomes: list of models.pipeline.Outcome."""
    for start in range(0, len(outcomes), per_row):
        cols = st.columns(per_row)
        for col, o in zip(cols, outcomes[start:start + per_row], strict=False):
            with col, st.container(border=True):
                st.markdown(f"**seed {o.seed}**")
                if o.problem:
                    st.error(o.problem)
                    continue
                st.image(png(o.view, 192), output_format="PNG", width="stretch")
                lines = [f"**{name}**: {drawn}" for name, drawn in o.sampled]
                st.caption("  \n".join(lines) if lines else "*no random step: every outcome is the same*")
