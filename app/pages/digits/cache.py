"""Cached wrappers of the Draw-a-digit page: the shipped models, the test sample and the pen gallery.

Models are shared read-only by all sessions (eval mode, no_grad use only). Heavy imports stay inside
the functions. A WeightsError is raised again on every call (exceptions are not cached).
"""

import streamlit as st


@st.cache_resource(show_spinner="Loading the digit model…", max_entries=4)
def digit_model(name: str):
    """models.mnist_cnn.load_named(name) in eval mode; torch single-threaded in this script thread
    (on a busy 2-core machine its thread pool made a 0.1 ms forward pass take ~50 ms)."""
    from models.mnist_cnn import load_named
    from models.torch_threads import one_torch_thread

    one_torch_thread()
    return load_named(name)


@st.cache_resource(show_spinner=False, max_entries=4)
def digit_card(name: str) -> dict:
    """The model card of a shipped model ({} when it has none)."""
    from models.mnist_cnn import model_card

    try:
        return dict(model_card(name) or {})
    except (OSError, ValueError):
        return {}


@st.cache_resource(show_spinner=False)
def digit_test_sample():
    from models.digit_gallery import load_test_sample

    return load_test_sample()


@st.cache_resource(show_spinner=False, max_entries=8)
def digit_test_predictions(_model, model_id: str):
    """Predictions for the whole shipped test sample under one model (model_id names it)."""
    from models.digit_gallery import predict_all

    return predict_all(_model, digit_test_sample().images)


@st.cache_resource(show_spinner=False)
def pen_gallery() -> tuple:
    """The shipped pen-written digits (models.unipen.gallery()) as a read-only tuple of dicts."""
    from models.unipen import gallery

    return tuple(gallery())


@st.cache_resource(show_spinner=False, max_entries=16)
def pen_gallery_page(page: int, per_class: int) -> tuple:
    """(gallery indices, uint8 (n, 28, 28) thumbnails, black ink on white as drawn): `per_class` pen digits
    of every class, 0 first, the page-th such set (wrapping around)."""
    import numpy as np
    from PIL import Image

    from models.unipen import render_strokes

    items = pen_gallery()
    indices = []
    for label in range(10):
        mine = [i for i, g in enumerate(items) if int(g["label"]) == label]
        if mine:
            start = page * per_class
            indices += [mine[(start + k) % len(mine)] for k in range(min(per_class, len(mine)))]
    small = [np.asarray(Image.fromarray(np.asarray(render_strokes(items[i]["strokes"], items[i]["width"]), np.uint8))
                        .resize((28, 28), Image.BOX)) for i in indices]
    return tuple(indices), (np.stack(small) if small else np.zeros((0, 28, 28), np.uint8))


@st.cache_resource(show_spinner=False, max_entries=16)
def pen_gallery_tile(page: int, per_class: int, caption: str) -> tuple:
    """(gallery index of each tile cell, the clickable board tile): one row per set, columns 0..9."""
    import numpy as np

    from components import feature_maps as fm

    indices, thumbs = pen_gallery_page(page, per_class)
    order = (np.arange(len(thumbs)).reshape(10, per_class).T.ravel() if len(thumbs) == 10 * per_class
             else np.arange(len(thumbs)))
    tile = fm.map_tile("pen-gallery", "<b>Replay a pen-written digit</b> (click one)", thumbs[order].astype(np.float32),
                       np.tile([0.0, 255.0], (len(thumbs), 1)), 10, 56, lut=fm.GREY_LUT, caption=caption)
    return tuple(indices[int(i)] for i in order), tile

