"""Card grids as one HTML element: the stage strip and the random grid each reach the browser as a single
st.html (pictures inline), instead of a container, an image and three texts per card. One element is one
delta and one render; inline pictures need no second round trip before they can show."""

import base64
import io
from collections import OrderedDict
from collections.abc import Callable
from html import escape

import numpy as np
from PIL import Image

from components.theme import projector

_CSS = """<style>
.tfv-grid{display:grid;gap:1rem;margin:.25rem 0 1rem}
.tfv-card{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:1rem;min-width:0;line-height:1.5;
  overflow-wrap:break-word}
.tfv-card img{display:block;width:100%;height:auto;margin:.5rem 0;image-rendering:auto}
.tfv-card img.tfv-px{image-rendering:pixelated}
.tfv-title{font-weight:600}
.tfv-cap{font-size:.875rem;color:rgba(49,51,63,.7)}
.tfv-drew{display:inline-block;background:#e3eefb;color:#123f7a;border-radius:.25rem;padding:0 .3rem;
  margin-top:.3rem}
.tfv-warn,.tfv-err{border-radius:.5rem;padding:.5rem .75rem;margin-top:.5rem}
.tfv-warn{background:#fffae5;color:#7a5900}
.tfv-err{background:#fff1f2;color:#9e303b}
.tfv-card code{font-size:.8em;background:#f0f2f6;border-radius:.25rem;padding:.1em .3em}
</style>"""
_PROJECTOR_CSS = ("<style>.tfv-card{border:3px solid #000}.tfv-cap{color:#000;font-weight:500}"
                  ".tfv-drew{color:#000;background:#cfe0f7}.tfv-warn,.tfv-err{color:#000}</style>")


def thumbnail(view: np.ndarray, side: int) -> np.ndarray:
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


def encode_png(rgb: np.ndarray) -> bytes:
    """(H, W, 3) uint8 -> PNG bytes, compressed lightly; stored as one grey channel when R = G = B (MNIST),
    a third of the data to compress and send."""
    img = Image.fromarray(rgb)
    if (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all():
        img = img.convert("L")
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _img(data: bytes, kind: str, size: tuple[int, int], alt: str, extra: str = "") -> str:
    """An inline <img>; width and height (the picture's own) let the browser reserve its box before the
    picture is decoded, so nothing below it jumps while a new one comes in."""
    b64 = base64.b64encode(data).decode("ascii")
    return (f'<img {extra}alt="{escape(alt)}" width="{size[1]}" height="{size[0]}" '
            f'src="data:image/{kind};base64,{b64}">')


def png_tag(png: bytes, size: tuple[int, int], alt: str, style: str = "") -> str:
    """An <img> holding already encoded PNG bytes of size (H, W), inline."""
    return _img(png, "png", size, alt, f'style="{style}" ' if style else "")


def img_tag(view: np.ndarray, side: int, alt: str) -> str:
    """An <img> holding the thumbnail of an (H, W, 3) uint8 view.

    Photo-sized views travel as JPEG (quality 92: no visible loss at this size, a fifth of a PNG's bytes
    and a twentieth of its encoding time); small views, shown enlarged, as lossless PNG so their pixels
    stay crisp squares."""
    thumb = thumbnail(view, side)
    if max(view.shape[:2]) * 2 <= side:
        return _img(encode_png(thumb), "png", thumb.shape[:2], alt, 'class="tfv-px" ')
    buf = io.BytesIO()
    Image.fromarray(thumb).save(buf, format="JPEG", quality=92)
    return _img(buf.getvalue(), "jpeg", thumb.shape[:2], alt)


CARD_MIN_REM = 12  # the longest transform name, "RandomHorizontalFlip", fits on one line


def grid(cards: list[str], per_row: int, key: str) -> str:
    """The cards' HTML in rows of at most per_row, fewer when the column is too narrow for CARD_MIN_REM cards
    (so no word is broken), as a CSS grid of equal columns."""
    css = _CSS + (_PROJECTOR_CSS if projector() else "")
    body = "".join(f'<div class="tfv-card">{c}</div>' for c in cards)
    return (f'{css}<div class="tfv-grid" data-testid="{key}" '
            f'style="grid-template-columns:repeat(auto-fill,minmax(max({CARD_MIN_REM}rem,'
            f'calc((100% - {per_row - 1}rem) / {per_row})),1fr))">{body}</div>')


_MEMO: OrderedDict = OrderedDict()  # (id(result), *how) -> (result, html); holding result keeps its id unique


def memo_html(result, how: tuple, build: Callable[[], str], size: int = 16) -> str:
    """build() once per (result object, how): results come from st.cache_resource, so the same pipeline,
    image and seed give the same object, whose pictures need not be encoded again."""
    key = (id(result), projector(), *how)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is result:
        _MEMO.move_to_end(key)
        return hit[1]
    html = build()
    _MEMO[key] = (result, html)
    while len(_MEMO) > size:
        _MEMO.popitem(last=False)
    return html


def text(value) -> str:
    return escape(str(value))
