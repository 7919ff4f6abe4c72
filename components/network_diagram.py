"""The network as boxes: resolution falls (smaller squares) while the number of maps rises (deeper stacks).

Plain HTML that wraps onto more lines on a narrow screen: each stage is a small SVG picture of its
maps with its name, shape and parameter count underneath as page text in the theme's figure size.
`data-testid="network-diagram"` and its `data-answer` attribute are what the browser tests read.
"""

import base64
import html

import streamlit as st

from components.theme import CATEGORICAL, font_size, projector

_CSS = """<style>
.nd-root { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.4em 0; font-size: %(font)spx; color: #000; }
.nd-stage { display: flex; flex-direction: column; align-items: center; min-width: 4.6em; text-align: center; }
.nd-stage img { display: block; }
.nd-name { font-weight: 700; line-height: 1.2; }
.nd-shape, .nd-params { line-height: 1.2; }
.nd-params { color: #333; }
.nd-arrow { align-self: center; padding: 0 0.2em; margin-bottom: 2.6em; font-size: 1.2em; }
.nd-caption { font-size: 0.9em; color: #333; margin-top: 0.4em; }
</style>"""


def _picture(stage, answer: str | None, unit: float) -> str:
    """SVG of one stage (C,H,W): up to 10 stacked squares; a vector: one bar (the output shows the answer)."""
    shape = stage.shape
    box = 95 * unit
    if len(shape) == 3:
        c, h, _ = shape
        side = max(8.0, h * 3.2) * unit
        layers, step = min(c, 10), 3.0 * unit
        width = side + step * (layers - 1)
        top = (box - side) / 2 + (layers - 1) * step * 0.6
        parts = [f'<rect x="{i * step + 1:.1f}" y="{top - i * step * 0.6:.1f}" width="{side:.1f}" '
                 f'height="{side:.1f}" fill="{CATEGORICAL[5] if i % 2 else CATEGORICAL[0]}" fill-opacity="0.85" '
                 f'stroke="#000" stroke-width="1"/>' for i in range(layers)]
    else:
        height = min(95.0, 12 + shape[0] * 0.17) * unit
        width = 16 * unit
        fill = CATEGORICAL[3] if stage.name.startswith("fc2") else CATEGORICAL[2]
        parts = [f'<rect x="1" y="{(box - height) / 2:.1f}" width="{width:.1f}" height="{height:.1f}" '
                 f'fill="{fill}" stroke="#000" stroke-width="1"/>']
        if answer is not None:
            parts.append(f'<text x="{1 + width / 2:.1f}" y="{box / 2 + 7 * unit:.1f}" text-anchor="middle" '
                         f'font-weight="800" font-size="{20 * unit:.0f}" fill="#000">{html.escape(answer)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 2:.0f}" height="{box:.0f}" '
           f'font-family="sans-serif">{"".join(parts)}</svg>')
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="{src}" width="{width + 2:.0f}" height="{box:.0f}" alt="">'  # st.html drops inline SVG


def network_diagram(stages, answer: int | None = None) -> None:
    """stages: models.digit_analysis.architecture(model). answer: digit shown in the output box."""
    on = projector()
    unit = 1.25 if on else 1.0
    pieces = []
    for i, stage in enumerate(stages):
        last = i == len(stages) - 1
        shown = str(answer) if last and answer is not None else None
        params = f"{stage.params:,} params" if stage.params else "no params"
        pieces.append(f'<div class="nd-stage">{_picture(stage, shown, unit)}'
                      f'<div class="nd-name">{html.escape(stage.name)}</div>'
                      f'<div class="nd-shape">{"×".join(str(s) for s in stage.shape)}</div>'
                      f'<div class="nd-params">{params}</div></div>')
        if not last:
            pieces.append('<div class="nd-arrow" aria-hidden="true">→</div>')
    total = sum(s.params for s in stages)
    fc1 = next((s.params for s in stages if s.name.startswith("fc1")), 0)
    caption = (f"Squares shrink (28 → 26 → 13 → 11 → 5 pixels) while the stacks grow (1 → 10 → 20 maps). "
               f"{total:,} learned parameters in all; fc1 alone holds {fc1:,} of them.")
    label = "the network, layer by layer" + (f"; it answers {answer}" if answer is not None else "")
    st.html(_CSS % {"font": font_size()}
            + f'<div data-testid="network-diagram" data-answer="{"" if answer is None else int(answer)}" '
            f'role="img" aria-label="{label}"><div class="nd-root">{"".join(pieces)}</div>'
            f'<div class="nd-caption">{caption}</div></div>')
