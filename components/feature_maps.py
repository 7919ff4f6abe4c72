"""Feature-map and kernel grids composed as ONE sharp PNG per layer (numpy + colour LUT).

Each grid is a tiny st.components.v2 element showing a data-URL image with crisp pixel scaling;
clicking a tile reports its index, so the page can enlarge that map beside its kernels and input.
One image per layer costs ~1 ms to build; dozens of plotly heatmaps would cost far more.
"""

import base64
import io

import numpy as np
import streamlit as st
from PIL import Image

from components.theme import DIVERGING_LUT, SEQUENTIAL_LUT, colorize

GAP = 2
GAP_COLOUR = np.array([255, 255, 255], np.uint8)

_GRID_JS = """
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  let box = parentElement.querySelector('.fm-box');
  if (!box) {
    box = document.createElement('div');
    box.className = 'fm-box';
    box.innerHTML = '<img class="fm-img" draggable="false">';
    parentElement.appendChild(box);
    box.querySelector('img').addEventListener('click', (ev) => {
      const d = box.__d; if (!d || !d.pickable) return;
      const r = ev.target.getBoundingClientRect();
      const x = (ev.clientX - r.left) / r.width * d.w, y = (ev.clientY - r.top) / r.height * d.h;
      const col = Math.floor(x / (d.cw + d.gap)), row = Math.floor(y / (d.ch + d.gap));
      const idx = row * d.cols + col;
      if (col < d.cols && idx >= 0 && idx < d.n) box.__set('picked', idx);
    });
  }
  box.__d = data; box.__set = setTriggerValue;
  box.dataset.testid = 'fmap-grid';
  box.dataset.layer = data.layer;
  box.dataset.version = String(data.version);
  const img = box.querySelector('img');
  if (img.getAttribute('src') !== data.src) img.setAttribute('src', data.src);
  img.alt = data.alt;
  img.title = data.pickable ? 'Click a map to enlarge it' : data.alt;
  img.style.width = Math.round(data.w * data.zoom) + 'px';
  img.style.cursor = data.pickable ? 'pointer' : 'default';
}
"""
_GRID_CSS = """
.fm-box { line-height: 0; }
.fm-img { image-rendering: pixelated; max-width: 100%; height: auto; border: 1px solid #888; }
"""
_grid = st.components.v2.component("convlab_map_grid", js=_GRID_JS, css=_GRID_CSS)


def lut_for(ranges: np.ndarray) -> np.ndarray:
    """Diverging (blue < 0 < red) for signed ranges, sequential for magnitudes."""
    return DIVERGING_LUT if float(np.min(ranges[:, 0])) < 0 else SEQUENTIAL_LUT


def compose(maps: np.ndarray, ranges: np.ndarray, cols: int, cell: int, gap: int = GAP) -> np.ndarray:
    """(C, h, w) maps, (C, 2) ranges -> one RGB mosaic; each map scaled to `cell` px (nearest)."""
    n, h, w = maps.shape
    zoom = max(1, cell // max(h, w))
    lut = lut_for(ranges)
    rows = -(-n // cols)
    ch, cw = h * zoom, w * zoom
    out = np.empty((rows * (ch + gap) - gap, cols * (cw + gap) - gap, 3), np.uint8)
    out[:] = GAP_COLOUR
    for i in range(n):
        r, c = divmod(i, cols)
        tile = colorize(maps[i], lut, float(ranges[i, 0]), float(ranges[i, 1]))
        if zoom > 1:
            tile = tile.repeat(zoom, axis=0).repeat(zoom, axis=1)
        out[r * (ch + gap):r * (ch + gap) + ch, c * (cw + gap):c * (cw + gap) + cw] = tile
    return out


def png_data_url(rgb: np.ndarray) -> str:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def grid(key: str, layer: str, maps: np.ndarray, ranges: np.ndarray, cols: int, cell: int,
         projector: bool, alt: str, pickable: bool = True, version: int = 0) -> int | None:
    """Show one layer's maps (C, h, w) as a clickable grid; return the clicked map's index or None."""
    rgb = compose(maps, ranges, cols, cell)
    n, h, w = maps.shape
    zoom = max(1, cell // max(h, w))
    data = {"src": png_data_url(rgb), "layer": layer, "cols": cols, "n": n, "ch": h * zoom, "cw": w * zoom,
            "gap": GAP, "w": rgb.shape[1], "h": rgb.shape[0], "zoom": 1.5 if projector else 1.0,
            "alt": alt, "pickable": pickable, "version": version}
    result = _grid(key=key, data=data, on_picked_change=lambda: None, width="stretch")
    picked = getattr(result, "picked", None)
    return int(picked) if isinstance(picked, int | float) and 0 <= int(picked) < n else None


def kernel_grid(key: str, weights: np.ndarray, projector: bool, version: int = 0) -> None:
    """Kernels (out, in, k, k): one row per output map, one 3x3 tile per input map, one shared
    symmetric range (0 = white in the middle of the diverging scale)."""
    out_c, in_c, k, _ = weights.shape
    peak = float(np.abs(weights).max()) or 1.0
    tiles = weights.reshape(out_c * in_c, k, k)
    ranges = np.tile([-peak, peak], (len(tiles), 1))
    cell = 24 if in_c == 1 else 12
    alt = f"{out_c}x{in_c} learned {k}x{k} kernels (blue negative, red positive)"
    grid(key, f"kernels-{out_c}x{in_c}", tiles, ranges, cols=in_c if in_c > 1 else 5, cell=cell,
         projector=projector, alt=alt, pickable=False, version=version)


def single(maps: np.ndarray, ranges: np.ndarray, index: int, size: int = 224) -> np.ndarray:
    """One map (index) enlarged to about `size` px, for st.image(output_format="PNG")."""
    return compose(maps[index:index + 1], ranges[index:index + 1], cols=1, cell=size)


def legend(signed: bool) -> str:
    return ("blue = negative, white = 0, red = positive" if signed
            else "dark purple = 0 (silent), yellow = strongest response")
