"""Boards of sharp pictures: every feature-map grid is ONE PNG per layer built with numpy + a colour LUT.

A board is one st.components.v2 element holding rows of titled pictures (data-URL PNG/SVG, crisp
pixel scaling). One element per board keeps each update to a handful of messages; dozens of plotly
heatmaps or st.image calls would cost far more. Clicking a tile of a pickable grid reports
(layer, index), so the page can enlarge that map beside its kernels and input.
"""

import base64
import html
import io
from dataclasses import asdict, dataclass

import numpy as np
import streamlit as st
from PIL import Image

from components.theme import DIVERGING_LUT, SEQUENTIAL_LUT, font_size, projector

GAP = 2
GAP_COLOUR = 255

_JS = """
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  let root = parentElement.querySelector('.bd-root');
  if (!root) {
    root = document.createElement('div');
    root.className = 'bd-root';
    parentElement.appendChild(root);
    root.addEventListener('click', (ev) => {
      const img = ev.target.closest ? ev.target.closest('img.bd-img') : null;
      const t = img && img.__t;
      if (!t || !t.pickable) return;
      const r = img.getBoundingClientRect();
      const x = (ev.clientX - r.left) / r.width * t.w, y = (ev.clientY - r.top) / r.height * t.h;
      const col = Math.floor(x / (t.cw + t.gap)), row = Math.floor(y / (t.ch + t.gap));
      const idx = row * t.cols + col;
      if (col < t.cols && idx >= 0 && idx < t.n) root.__set('picked', { layer: t.id, index: idx });
    });
  }
  root.__set = setTriggerValue;
  root.style.fontSize = (data.font || 14) + 'px';
  const sig = data.rows.map((r) => r.map((t) => t.id).join(',')).join('|');
  if (root.__sig !== sig) {
    root.innerHTML = '';
    for (const r of data.rows) {
      const row = document.createElement('div');
      row.className = 'bd-row';
      for (const t of r) {
        const fig = document.createElement('figure');
        fig.className = 'bd-fig';
        fig.dataset.layer = t.id;
        fig.innerHTML = '<div class="bd-title"></div><img class="bd-img" draggable="false"><figcaption class="bd-cap"></figcaption>';
        row.appendChild(fig);
      }
      root.appendChild(row);
    }
    root.__sig = sig;
  }
  const figs = root.querySelectorAll('figure.bd-fig');
  let i = 0;
  for (const r of data.rows) for (const t of r) {
    const fig = figs[i++];
    fig.querySelector('.bd-title').innerHTML = t.title;
    const cap = fig.querySelector('.bd-cap');
    cap.textContent = t.caption; cap.style.display = t.caption ? '' : 'none';
    const img = fig.querySelector('img');
    if (img.getAttribute('src') !== t.src) img.setAttribute('src', t.src);
    img.__t = t;
    img.alt = t.alt;
    img.title = t.pickable ? 'Click a map to enlarge it' : t.alt;
    img.style.width = Math.round(t.w * (t.scale || 1) * data.zoom) + 'px';
    img.style.cursor = t.pickable ? 'pointer' : 'default';
    fig.dataset.version = String(data.version);
  }
}
"""
_CSS = """
.bd-row { display: flex; flex-wrap: wrap; gap: 0.6rem 2rem; align-items: flex-start; margin-bottom: 0.8rem; }
.bd-fig { margin: 0; line-height: 1.3; }
.bd-title { font-size: 1em; margin-bottom: 0.3rem; color: #111; }
.bd-img { display: block; image-rendering: pixelated; max-width: 100%; height: auto; border: 1px solid #888; }
.bd-cap { font-size: 0.9em; color: #333; margin-top: 0.25rem; max-width: 34em; }
"""
_board = st.components.v2.component("convlab_picture_board", js=_JS, css=_CSS)


@dataclass(frozen=True)
class Tile:
    """One titled picture on a board; the grid fields let a click find the map under the mouse."""
    id: str
    title: str  # trusted HTML made by the page (no user text)
    src: str
    w: int
    h: int
    alt: str = ""
    caption: str = ""
    pickable: bool = False
    cols: int = 1
    n: int = 1
    ch: int = 0
    cw: int = 0
    gap: int = 0
    scale: int = 1  # the browser enlarges the picture this many times (sharp pixels): fewer pixels to encode


def lut_for(ranges: np.ndarray) -> np.ndarray:
    """Diverging (blue < 0 < red) for signed ranges, sequential for magnitudes."""
    return DIVERGING_LUT if float(np.min(ranges[:, 0])) < 0 else SEQUENTIAL_LUT


GREY_LUT = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)  # for digits themselves


def compose(maps: np.ndarray, ranges: np.ndarray, cols: int, cell: int, gap: int = GAP,
            lut: np.ndarray | None = None) -> np.ndarray:
    """(C, h, w) maps, (C, 2) ranges -> one RGB mosaic, row-major, each map scaled to ~`cell` px
    (nearest neighbour), all maps coloured in one vectorised LUT lookup."""
    n, h, w = maps.shape
    zoom = max(1, cell // max(h, w))
    lo, hi = ranges[:, :1, None], ranges[:, 1:, None]
    span = np.where(hi > lo, hi - lo, 1.0)
    finite = maps if np.isfinite(maps).all() else np.nan_to_num(maps)
    idx = np.clip((finite - lo) / span * 255.0, 0, 255).astype(np.uint8)
    tiles = (lut_for(ranges) if lut is None else lut)[idx]  # (C, h, w, 3)
    if zoom > 1:
        tiles = tiles.repeat(zoom, axis=1).repeat(zoom, axis=2)
    rows = -(-n // cols)
    ch, cw = h * zoom, w * zoom
    padded = np.full((rows * cols, ch + gap, cw + gap, 3), GAP_COLOUR, np.uint8)
    padded[:n, :ch, :cw] = tiles
    out = padded.reshape(rows, cols, ch + gap, cw + gap, 3).transpose(0, 2, 1, 3, 4)
    return out.reshape(rows * (ch + gap), cols * (cw + gap), 3)[:-gap or None, :-gap or None]


def png_data_url(image: np.ndarray) -> str:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def map_tile(layer: str, title: str, maps: np.ndarray, ranges: np.ndarray, cols: int, cell: int,
             pickable: bool = True, caption: str = "", lut: np.ndarray | None = None) -> Tile:
    """A layer's maps (C, h, w) as one grid picture, each map about `cell` px on screen.

    An even zoom is made half here and half by the browser (sharp pixels, a GAP // 2 gap here): the same
    picture on screen from a quarter of the pixels, which made PNG encoding the largest cost of a drawing
    update under a class's load."""
    n, h, w = maps.shape
    zoom = max(1, cell // max(h, w))
    scale = 2 if zoom % 2 == 0 else 1
    z, gap = zoom // scale, GAP // scale
    rgb = compose(maps, ranges, cols, z * max(h, w), gap=gap, lut=lut)
    return Tile(layer, title, png_data_url(rgb), rgb.shape[1], rgb.shape[0], alt=f"{layer}: {n} maps of {h}x{w}",
                caption=caption, pickable=pickable, cols=cols, n=n, ch=h * z, cw=w * z, gap=gap, scale=scale)


def image_tile(tile_id: str, title: str, image: np.ndarray | str, width: int | None = None,
               caption: str = "", alt: str = "") -> Tile:
    """A uint8 grey/RGB array (sent as PNG) or an SVG string (width required)."""
    if isinstance(image, str):
        src = "data:image/svg+xml;base64," + base64.b64encode(image.encode("utf-8")).decode("ascii")
        return Tile(tile_id, title, src, int(width or 600), 0, alt=alt or tile_id, caption=caption)
    return Tile(tile_id, title, png_data_url(image), int(width or image.shape[1]), image.shape[0],
                alt=alt or tile_id, caption=caption)


def board(key: str, rows: list[list[Tile]], version: int = 0) -> tuple[str, int] | None:
    """Show rows of tiles as one element; return (layer, index) of a map clicked in this run, or None.

    Pictures are 1.5x larger in projector mode; titles and captions use the theme's figure text size."""
    on = projector()
    data = {"rows": [[asdict(t) for t in row] for row in rows], "zoom": 1.5 if on else 1.0,
            "version": version, "font": font_size()}
    result = _board(key=key, data=data, on_picked_change=lambda: None, width="stretch")
    picked = getattr(result, "picked", None)
    if isinstance(picked, dict) and isinstance(picked.get("index"), int | float):
        return str(picked.get("layer")), int(picked["index"])
    return None


def kernel_mosaic(weights: np.ndarray) -> np.ndarray:
    """Kernels (out, in, k, k) -> RGB: one row per output map, one k x k tile per input map (conv1:
    5 per row), one shared symmetric range so 0 is white in the middle of the diverging scale."""
    out_c, in_c, k, _ = weights.shape
    peak = float(np.abs(weights).max()) or 1.0
    tiles = weights.reshape(out_c * in_c, k, k)
    return compose(tiles, np.tile([-peak, peak], (len(tiles), 1)), in_c if in_c > 1 else 5, 12 if in_c > 1 else 24)


def single(maps: np.ndarray, ranges: np.ndarray, index: int, size: int = 224) -> tuple[np.ndarray, int]:
    """One map (index) at its own resolution (h, w, 3), and the width on screen that enlarges it a whole
    number of times to about `size` px (image_tile's width; the browser keeps the pixels sharp)."""
    h, w = maps.shape[1:]
    return compose(maps[index:index + 1], ranges[index:index + 1], cols=1, cell=1), max(1, size // max(h, w)) * w


def legend(signed: bool) -> str:
    return ("blue = negative, white = 0, red = positive" if signed
            else "dark purple = 0 (silent), yellow = strongest response")


def bold(text: str) -> str:
    return f"<b>{html.escape(text)}</b>"
