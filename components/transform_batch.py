"""Dataset & DataLoader section: the array -> tensor -> Dataset -> DataLoader -> batch diagram, the labelled
minibatch grid, and the definitions shown beside the live numbers."""

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw, ImageFont

from components.theme import projector

MAX_TILES = 64


def diagram(source: str, item_shape: str, n: int, batch: int, iters: int, batch_shape: str) -> str:
    """HTML flow of the data path with the live numbers (boxes wrap on narrow screens)."""
    boxes = [
        ("NumPy array", f"{source}: {n} images, uint8"),
        ("PIL image", "one sample, Image.fromarray"),
        ("transform pipeline", "v2.Compose(steps)"),
        ("Dataset", f"__getitem__(i) → (x, label); x {item_shape}"),
        ("DataLoader", f"batch_size={batch}: {iters} iterations / epoch"),
        ("minibatch", f"images {batch_shape}, labels ({batch},)"),
    ]
    cells = '<span class="tf-arrow">→</span>'.join(
        f'<div class="tf-box"><b>{title}</b><br><span>{text}</span></div>' for title, text in boxes)
    return ("<style>.tf-flow{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem;margin:.5rem 0}"
            ".tf-box{border:2px solid #0072B2;border-radius:.5rem;padding:.35rem .6rem;background:#eef4fb;"
            "max-width:13rem;font-size:.9rem;line-height:1.3}.tf-arrow{font-size:1.4rem;font-weight:700}</style>"
            f'<div class="tf-flow">{cells}</div>')


def _fit(draw: ImageDraw.ImageDraw, label: str, font, width: int) -> str:
    """The label, cut with an ellipsis until it fits `width` pixels."""
    while len(label) > 1 and draw.textlength(label, font=font) > width:
        label = label[:-2] + "…"
    return label


def batch_grid(views: list[np.ndarray], labels: list[str], per_row: int | None = None) -> np.ndarray:
    """Tile (H, W, 3) uint8 images with their label under each (cut to the tile's width); at most MAX_TILES.
    Projector mode: fewer, larger tiles a row, so the labels stay large once the picture fits the column."""
    views, labels = views[:MAX_TILES], labels[:MAX_TILES]
    big = projector()
    per_row = per_row or (5 if big else 8)
    side = 96 if big else 72
    text_h = 30 if big else 20
    rows = (len(views) + per_row - 1) // per_row
    canvas = Image.new("RGB", (per_row * (side + 6), rows * (side + text_h + 6)), "white")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=24 if big else 15)
    for k, (view, label) in enumerate(zip(views, labels, strict=True)):
        img = Image.fromarray(view)
        scale = side / max(img.size)
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))),
                         Image.Resampling.NEAREST if scale >= 2 else Image.Resampling.BILINEAR)
        x, y = (k % per_row) * (side + 6) + 3, (k // per_row) * (side + text_h + 6) + 3
        canvas.paste(img, (x, y))
        draw.text((x + 2, y + side + 1), _fit(draw, label, font, side - 2), fill="black", font=font)
    return np.asarray(canvas)


DEFINITIONS = """
- **Batch size** (`batch_size`) — how many samples go through the network together in one step.
- **Iteration** — one minibatch: one forward pass, one backward pass, one weight update.
- **Epoch** — one full pass over the dataset: every sample seen once (at most once with `drop_last`).
- **Iterations per epoch** = ⌈N / batch_size⌉, or ⌊N / batch_size⌋ with `drop_last=True`.
- **shuffle** — a new random order every epoch; **drop_last** — throw away the last, smaller batch.
"""


def render_definitions(n: int, batch: int, drop_last: bool, iters: int) -> None:
    st.markdown(DEFINITIONS)
    last = n - (n // batch) * batch
    rule = "⌊N / B⌋" if drop_last else "⌈N / B⌉"
    text = f"Here: N = {n}, B = {batch} → {rule} = {n}/{batch} = {n / batch:.2f} → **{iters} iterations per epoch**"
    if last and not drop_last:
        text += f"; the last batch has only {last} samples."
    elif last:
        text += f"; the last {last} samples are dropped each epoch."
    st.markdown(text)
    st.caption("The classic example: 100 samples at batch size 20 give 100 / 20 = 5 iterations per epoch.")
