"""The Pooling page's caches: thin wrappers that call models/ and encode. Read-only results.

Grids a student types and images they upload are user-keyed, so every cache here is bounded in entries
and expires (a 16x16 grid's analysis is a few kB; one set of image levels is about 2 MB of PNG).
"""

import numpy as np
import streamlit as st

from components.pooling_images import png
from models.content_id import content_id
from models.pool_gradient import gradient_map
from models.pool_images import level_views
from models.pooling import PoolSpec, analyse

TTL = 600  # seconds


@st.cache_resource(max_entries=128, ttl=TTL, show_spinner=False)
def _analysis(x_key: bytes, shape: tuple, spec: PoolSpec):
    return analyse(np.frombuffer(x_key, dtype=np.float64).reshape(shape), spec)


def analysis(x: np.ndarray, spec: PoolSpec):
    """models.pooling.analyse of the grid x (H, W): (values, windows, coverage, summary). PoolingError propagates."""
    return _analysis(np.ascontiguousarray(x, dtype=np.float64).tobytes(), x.shape, spec)


@st.cache_resource(max_entries=128, ttl=TTL, show_spinner=False)
def _gradient(x_key: bytes, shape: tuple, spec: PoolSpec, cell):
    return gradient_map(np.frombuffer(x_key, dtype=np.float64).reshape(shape), spec, cell)


def gradient(x: np.ndarray, spec: PoolSpec, cell: tuple[int, int] | None) -> np.ndarray:
    """models.pool_gradient.gradient_map of x (H, W): where the upstream gradient lands, (H, W)."""
    return _gradient(np.ascontiguousarray(x, dtype=np.float64).tobytes(), x.shape, spec, cell)


@st.cache_resource(max_entries=16, ttl=TTL, show_spinner=False)
def _image_levels(image_id: str, _rgb, levels: int, kernel: int, variant: str, amount: float):
    return [(kind, level, size, c, png(pic)) for kind, level, size, c, pic in
            level_views(_rgb, levels, kernel, variant, amount)]


def image_levels(rgb: np.ndarray, levels: int, kernel: int, variant: str, amount: float) -> list:
    """models.pool_images.level_views of rgb (H, W, 3) with each picture as PNG bytes. PoolImageError propagates."""
    return _image_levels(content_id(rgb), rgb, levels, kernel, variant, amount)
