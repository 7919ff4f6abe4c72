"""Pooled images for the page: small PNGs shown large with crisp (pixelated) upscaling in the browser.

All levels go out as ONE block of inline data-URL pictures (components.pooling_view): one message and
no media-file round trips, instead of nine st.image elements the browser fetches one by one.
"""

import base64
import io
from html import escape

import numpy as np
from PIL import Image

from components import theme

DISPLAY = 256  # px: every level is shown at this size, so coarser levels look blockier
PROJECTOR_DISPLAY = 420


def png(img: np.ndarray, side: int = DISPLAY) -> bytes:
    """(h, w[, 3]) float in [0, 1] -> PNG bytes at its own resolution (evenly subsampled if above `side`).

    No upscaling here: the browser enlarges with image-rendering: pixelated, so each pooled pixel shows as
    a crisp block. No deflate (compress level 0): it halves the encode time, and noisy pictures, the ones
    that change on every noise step, hardly compress anyway (180 kB instead of 197 kB at 256x256)."""
    h, w = img.shape[:2]
    step = int(np.ceil(max(h, w) / side))
    arr = (np.clip(img[::step, ::step], 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG", compress_level=0)
    return buf.getvalue()


def _figure(data: bytes, caption: str) -> str:
    projector = theme.projector()
    side = PROJECTOR_DISPLAY if projector else DISPLAY
    src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return (f'<figure data-testid="pool-level" style="margin:0 0 1rem 0;text-align:center">'
            f'<img src="{src}" alt="{escape(caption)}" style="display:block;image-rendering:pixelated;width:100%;'
            f'max-width:{side}px;aspect-ratio:1/1;object-fit:contain;border-radius:.5rem">'
            f'<figcaption data-testid="pool-level-caption" style="font-size:{0.95 if projector else 0.875}rem;'
            f'color:#31333f;margin-top:.375rem;max-width:{side}px">{escape(caption)}</figcaption></figure>')


def levels_block(shown: list, kernel_caption: str) -> str:
    """shown: [(kind, level, (h, w), contrast, png bytes)], the input first, then max and mean per level.

    Normal: one column per level (input first, max above mean). Projector: the input, then one row
    per level with max and mean side by side, big enough for the back row."""
    projector = theme.projector()
    _, _, (h, w), contrast, data = shown[0]
    first = _figure(data, f"Input {w}x{h} · contrast {contrast:.3f}")
    pooled = [_figure(data, f"{kind.capitalize()}, level {index}: {lw}x{lh} · contrast {value:.3f}")
              for kind, index, (lh, lw), value, data in shown[1:]]
    pairs = [pooled[i:i + 2] for i in range(0, len(pooled), 2)]
    if projector:
        grid = "display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 1.5rem"
        body = first + "".join(f'<div style="{grid}">{"".join(p)}</div>' for p in pairs)
    else:
        cols = "".join(f"<div>{''.join(p)}</div>" for p in pairs)
        body = (f'<div style="display:grid;grid-template-columns:repeat({1 + len(pairs)},minmax(0,1fr));gap:0 1rem">'
                f"<div>{first}</div>{cols}</div>")
    return f'<p style="margin:0 0 1rem 0">{kernel_caption}</p><div data-testid="pool-levels">{body}</div>'
