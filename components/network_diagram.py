"""The network as boxes: resolution falls (smaller squares) while the number of maps rises (deeper stacks).

An inline SVG, rebuilt on every update so the output box can show the current answer.
"""

import html

from components.feature_maps import board, image_tile
from components.theme import CATEGORICAL


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape)


def _block(x: float, stage, answer: str | None, scale: float, font: float) -> tuple[str, float]:
    """SVG for one stage starting at x; returns (svg, width used)."""
    shape = stage.shape
    if len(shape) == 3:
        c, h, _ = shape
        side = max(8.0, h * 3.2) * scale
        layers = min(c, 10)
        step = 3.0 * scale
        width = side + step * (layers - 1)
        top = 20 * scale + (95 * scale - side) / 2
        parts = [f'<rect x="{x + i * step:.1f}" y="{top - i * step * 0.6 + (layers - 1) * step * 0.6:.1f}" '
                 f'width="{side:.1f}" height="{side:.1f}" fill="{CATEGORICAL[5] if i % 2 else CATEGORICAL[0]}" '
                 f'fill-opacity="0.85" stroke="#000" stroke-width="1"/>' for i in range(layers)]
    else:
        n = shape[0]
        height = min(95.0, 12 + n * 0.17) * scale
        width = 16 * scale
        top = 20 * scale + (95 * scale - height) / 2
        fill = CATEGORICAL[3] if stage.name.startswith("fc2") else CATEGORICAL[2]
        parts = [f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
                 f'fill="{fill}" stroke="#000" stroke-width="1"/>']
        if answer is not None:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{top + height / 2 + 6 * scale:.1f}" '
                         f'text-anchor="middle" font-weight="800" font-size="{16 * font:.0f}" '
                         f'fill="#fff">{html.escape(answer)}</text>')
    cx = x + width / 2
    label_y = 122 * scale + 13 * font
    parts.append(f'<text x="{cx:.1f}" y="{label_y:.1f}" text-anchor="middle" font-weight="700" '
                 f'font-size="{12 * font:.0f}">{html.escape(stage.name)}</text>')
    parts.append(f'<text x="{cx:.1f}" y="{label_y + 15 * font:.1f}" text-anchor="middle" '
                 f'font-size="{12 * font:.0f}">{_shape_text(shape)}</text>')
    params = f"{stage.params:,} params" if stage.params else "no params"
    parts.append(f'<text x="{cx:.1f}" y="{label_y + 30 * font:.1f}" text-anchor="middle" fill="#444" '
                 f'font-size="{11 * font:.0f}">{params}</text>')
    return "".join(parts), width


def network_diagram(stages, projector: bool, answer: int | None = None) -> None:
    """stages: models.digit_analysis.architecture(model). answer: digit shown in the output box."""
    scale, font = 1.0, 1.5 if projector else 1.0  # on a projector: same boxes, bigger labels
    x, pieces, gap = 10.0, [], 22.0
    for i, stage in enumerate(stages):
        last = i == len(stages) - 1
        svg, width = _block(x, stage, str(answer) if last and answer is not None else None, scale, font)
        slot = max(width, 64 * font)  # room for the labels under narrow blocks
        pieces.append(f'<g transform="translate({(slot - width) / 2:.1f},0)">{svg}</g>')
        x += slot
        if not last:
            y = 67 * scale
            pieces.append(f'<line x1="{x + 3:.1f}" y1="{y:.1f}" x2="{x + gap - 7:.1f}" y2="{y:.1f}" '
                          f'stroke="#000" stroke-width="{2 * scale:.1f}" marker-end="url(#arrow)"/>')
            x += gap
    total = sum(s.params for s in stages)
    height = 130 * scale + 50 * font
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{x + 10:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {x + 10:.0f} {height:.0f}" font-family="sans-serif">'
           '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto">'
           '<path d="M0,0 L8,4 L0,8 z" fill="#000"/></marker></defs>' + "".join(pieces) + "</svg>")
    caption = (f"Squares shrink (28 → 26 → 13 → 11 → 5 pixels) while the stacks grow (1 → 10 → 20 maps). "
               f"{total:,} learned parameters in all; fc1 alone holds {stages[6].params:,} of them.")
    board("digits_network", [[image_tile("digits_network_svg", "", svg, int(x + 10), caption, "network diagram")]],
          projector=False)
