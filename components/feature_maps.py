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


def picture(key: str, image: np.ndarray | str, alt: str, width: int, caption: str | None = None) -> None:
    """A still picture (uint8 grey/RGB array, or an SVG string) sent inline as a data URL.

    Used instead of st.image for everything that changes while you draw: st.image's media files
    from an interrupted rerun can vanish before the browser fetches them.
    """
    if isinstance(image, str):
        src = "data:image/svg+xml;base64," + base64.b64encode(image.encode("utf-8")).decode("ascii")
        w = h = width
    else:
        src, (h, w) = png_data_url(image), image.shape[:2]
    _grid(key=key, data={"src": src, "layer": key, "cols": 1, "n": 1, "ch": h, "cw": w, "gap": 0, "w": w,
                         "h": h, "zoom": width / w, "alt": alt, "pickable": False, "version": 0},
          on_picked_change=lambda: None, width="stretch")
    if caption:
        st.caption(caption)


def kernel_mosaic(weights: np.ndarray) -> np.ndarray:
    """Kernels (out, in, k, k) -> RGB: one row per output map, one k x k tile per input map (conv1:
    5 per row), one shared symmetric range so 0 is white in the middle of the diverging scale."""
    out_c, in_c, k, _ = weights.shape
    peak = float(np.abs(weights).max()) or 1.0
    tiles = weights.reshape(out_c * in_c, k, k)
    return compose(tiles, np.tile([-peak, peak], (len(tiles), 1)), in_c if in_c > 1 else 5, 12 if in_c > 1 else 24)


def kernel_grid(key: str, shape: tuple[int, ...], mosaic_url: str, size: tuple[int, int], projector: bool) -> None:
    """Show a kernel mosaic (built once per model by kernel_mosaic + png_data_url, see app.cache)."""
    out_c, in_c, k, _ = shape
    data = {"src": mosaic_url, "layer": f"kernels-{out_c}x{in_c}", "cols": 1, "n": 1, "ch": size[0], "cw": size[1],
            "gap": 0, "w": size[1], "h": size[0], "zoom": 1.5 if projector else 1.0, "pickable": False,
            "alt": f"{out_c}x{in_c} learned {k}x{k} kernels (blue negative, red positive)", "version": 0}
    _grid(key=key, data=data, on_picked_change=lambda: None, width="stretch")


def single(maps: np.ndarray, ranges: np.ndarray, index: int, size: int = 224) -> np.ndarray:
    """One map (index) enlarged to about `size` px (sharp pixels)."""
    return compose(maps[index:index + 1], ranges[index:index + 1], cols=1, cell=size)


def legend(signed: bool) -> str:
    return ("blue = negative, white = 0, red = positive" if signed
            else "dark purple = 0 (silent), yellow = strongest response")
