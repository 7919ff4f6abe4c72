"""The stage strip: the image after every step, labelled with type, shape, dtype and value range."""

import io

import numpy as np
import streamlit as st
from PIL import Image

THUMB = 224  # longest displayed side; small images are enlarged with nearest-neighbour so pixels stay sharp


def encode_png(rgb: np.ndarray) -> bytes:
    """(H, W, 3) uint8 -> PNG bytes, compressed lightly: lossless like st.image's PNG, a fraction of the CPU."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def png(view: np.ndarray, side: int = THUMB) -> bytes:
    """The thumbnail of a stage view as PNG bytes."""
    return encode_png(thumbnail(view, side))


def thumbnail(view: np.ndarray, side: int = THUMB) -> np.ndarray:
    """(H, W, 3) uint8 -> at most side x side; tiny images (MNIST) blown up with sharp pixels."""
    h, w = view.shape[:2]
    if max(h, w) > side:
        img = Image.fromarray(view)
        img.thumbnail((side, side), Image.Resampling.BILINEAR)
        return np.asarray(img)
    if max(h, w) * 4 <= side:
        k = side // max(h, w)
        return np.repeat(np.repeat(view, k, axis=0), k, axis=1)
    return view


def render_strip(result, per_row: int, projector: bool) -> None:
    """result: models.pipeline.RunResult. Stages in rows of `per_row`, then the failing step, if any."""
    stages = result.stages
    for start in range(0, len(stages), per_row):
        cols = st.columns(per_row)
        for col, stage in zip(cols, stages[start:start + per_row], strict=False):
            with col, st.container(border=True):
                _stage(stage, projector)
    if result.problem:
        p = result.problem
        st.error(f"**Step {p.index + 1} ({p.step['name']}) cannot run here.** {p.message} "
                 f"The stages before it are shown above.", icon=":material/block:")


def _stage(stage, projector: bool) -> None:
    title = "Input" if stage.step is None else stage.step["name"]
    st.markdown(f"**{title}**")
    st.image(png(stage.view), output_format="PNG", width="stretch")
    info = stage.info
    st.markdown(f"`{info.kind}` · `{info.dtype}`  \n{info.shape}  \n{info.stats}")
    if stage.view_note:
        st.caption(f":material/visibility: {stage.view_note}")
    if stage.sampled:
        st.markdown(f":blue-background[drew: {stage.sampled}]")
    for w in stage.warnings:
        st.warning(w, icon=":material/warning:")
