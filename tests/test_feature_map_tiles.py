"""Feature-map pictures made smaller on the server and enlarged by the browser look exactly as before."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from components import feature_maps as fm


def _pixels(tile: fm.Tile) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(tile.src.split(",", 1)[1]))).convert("RGB"))


@pytest.mark.parametrize(("shape", "cols", "cell"), [((10, 26, 26), 10, 52), ((10, 13, 13), 10, 52),
                                                     ((20, 5, 5), 10, 40), ((50, 1, 1), 25, 28), ((3, 7, 7), 2, 21)])
def test_a_map_tile_enlarged_by_the_browser_equals_the_full_size_mosaic(shape, cols, cell):
    maps = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    ranges = np.tile([-2.0, 2.0], (shape[0], 1))
    tile = fm.map_tile("conv", "t", maps, ranges, cols, cell)
    full = fm.compose(maps, ranges, cols, cell)  # what the server used to send, gap GAP between maps
    shown = _pixels(tile).repeat(tile.scale, axis=0).repeat(tile.scale, axis=1)
    assert np.array_equal(shown, full)
    assert tile.scale == (2 if (cell // max(shape[1:])) % 2 == 0 else 1)
    assert (tile.w, tile.h) == (full.shape[1] // tile.scale, full.shape[0] // tile.scale)
    # a click at the centre of map i, in the picture's own pixels, finds map i (the board's JavaScript rule)
    i = shape[0] - 1
    x, y = (i % cols) * (tile.cw + tile.gap) + tile.cw / 2, (i // cols) * (tile.ch + tile.gap) + tile.ch / 2
    assert int(y // (tile.ch + tile.gap)) * cols + int(x // (tile.cw + tile.gap)) == i


def test_a_single_map_is_sent_at_its_own_size_with_a_whole_number_enlargement():
    maps = np.random.default_rng(1).normal(size=(4, 26, 26))
    ranges = np.tile([-1.0, 1.0], (4, 1))
    native, width = fm.single(maps, ranges, 2, size=224)
    assert native.shape == (26, 26, 3) and width == 8 * 26
    assert np.array_equal(native.repeat(8, axis=0).repeat(8, axis=1),
                          fm.compose(maps[2:3], ranges[2:3], cols=1, cell=224))
