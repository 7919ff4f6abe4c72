"""Resolution and feature maps against depth as one small inline SVG (redrawn after every stack edit).

An SVG string costs well under a millisecond to build and draws without blocking the browser, unlike a
plotly figure; hovering a bar or a point shows its numbers (SVG <title>). The chart is a small
st.components.v2 element that also keeps the page's stack details in step with the layer editor:
the editor announces the stack it shows (a window event with its id), and when that is not the
stack this chart was drawn for, the chart asks for a rerun of its own fragment (a trigger value).
So an edit first redraws only the editor's fragment (the shape table), and the chart, the code and
the captions follow one round trip later.

The SVG is drawn at the width it is shown (the element reports its width, a state value "width"), so one
SVG unit is one CSS pixel and its text is exactly components.theme.font_size() at any window size.
"""

from html import escape

import streamlit as st

from components.theme import CATEGORICAL, font_size, line_width

BAR_TEXT = "#704800"  # dark orange, 8:1 on white: the bars' axis (the bars' own orange is 2.2:1)
RES_TEXT = "#00527f"  # dark blue, 8.4:1 on white: the resolution axis (the line's own blue is 5.2:1)


def _ticks(top: float, n: int = 4) -> list[int]:
    step = max(1, round(top / n))
    return list(range(0, int(top) + 1, step))


def _value_y(bar_top: float, point_y: float, fs: float, lw: float) -> float:
    """Baseline of a bar's value: just above the bar, or above the line's point when that point would
    sit on the text."""
    y = bar_top - 4
    dot = lw * 1.6
    if point_y - dot < y + 2 and point_y + dot > y - fs * 0.8 - 2:
        y = point_y - dot - 4
    return y


DEFAULT_WIDTH = 900  # CSS px, until the element has reported the width it is shown at


def depth_svg(labels: list[str], resolution: list[int], maps: list[int], width: int = DEFAULT_WIDTH) -> str:
    """Bars: feature maps per layer (right axis); line: spatial resolution in pixels per side (left axis).

    Drawn for `width` CSS px (one SVG unit per pixel), text at the theme's figure size."""
    fs, lw = font_size(), line_width()
    w = max(320, min(4000, int(width)))
    h = round(fs * 17)
    left, right, top, bottom = 8 + 3.2 * fs, 8 + 3.2 * fs, (2.6 if w - 3.2 * fs > fs * 33 else 3.9) * fs, 3.2 * fs
    pw, ph = w - left - right, h - top - bottom
    res_top, map_top = max(resolution) * 1.15 or 1, max(maps) * 1.25 or 1
    n = len(labels)
    slot = pw / n
    xs = [left + slot * (i + 0.5) for i in range(n)]

    def y_res(v: float) -> float:
        return top + ph * (1 - v / res_top)

    def y_map(v: float) -> float:
        return top + ph * (1 - v / map_top)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
           f'data-testid="anatomy-depth" font-family="sans-serif" font-size="{fs}" '
           f'aria-label="Resolution and feature maps against depth">']
    for t in _ticks(res_top / 1.15):
        y = y_res(t)
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
                   f'<text x="{left - 6}" y="{y + fs * 0.35:.1f}" text-anchor="end" fill="{RES_TEXT}">{t}</text>')
    for t in _ticks(map_top / 1.25):
        out.append(f'<text x="{left + pw + 6}" y="{y_map(t) + fs * 0.35:.1f}" fill="{BAR_TEXT}">{t}</text>')
    bar_w = min(slot * 0.6, 70)
    for x, label, m, r in zip(xs, labels, maps, resolution, strict=True):
        y = y_map(m)
        tip = escape(f"{label}: {m} feature maps, {r}x{r} pixels")
        short = label if slot > fs * 0.62 * len(label) else label.split("·")[0]  # narrow slots: the row number
        out.append(f'<rect x="{x - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{top + ph - y:.1f}" '
                   f'fill="{CATEGORICAL[1]}" fill-opacity="0.75"><title>{tip}</title></rect>'
                   f'<text x="{x:.1f}" y="{top + ph + fs * 1.3:.1f}" text-anchor="middle" fill="#111">'
                   f'{escape(short)}</text>')
    points = " ".join(f"{x:.1f},{y_res(r):.1f}" for x, r in zip(xs, resolution, strict=True))
    out.append(f'<polyline points="{points}" fill="none" stroke="{CATEGORICAL[0]}" stroke-width="{lw}"/>')
    for x, label, r in zip(xs, labels, resolution, strict=True):
        out.append(f'<circle cx="{x:.1f}" cy="{y_res(r):.1f}" r="{lw * 1.6}" fill="{CATEGORICAL[0]}">'
                   f'<title>{escape(label)}: {r}x{r}</title></circle>')
    for x, m, r in zip(xs, maps, resolution, strict=True):  # after the line, on a white halo: never crossed
        if slot > fs * 0.62 * len(str(m)):
            out.append(f'<text x="{x:.1f}" y="{_value_y(y_map(m), y_res(r), fs, lw):.1f}" text-anchor="middle" '
                       f'fill="{BAR_TEXT}" stroke="#fff" stroke-width="{fs * 0.3:.1f}" paint-order="stroke" '
                       f'stroke-linejoin="round">{m}</text>')
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#111"/>'
               f'<text x="{left + pw / 2}" y="{h - fs * 0.4:.1f}" text-anchor="middle" fill="#111">depth (layer)</text>'
               f'<text transform="translate({fs * 1.0:.1f} {top + ph / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'fill="{RES_TEXT}">pixels per side</text>'
               f'<text transform="translate({w - fs * 0.3:.1f} {top + ph / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'fill="{BAR_TEXT}">feature maps</text>')
    legend_y = fs * 1.2
    second_x, second_y = (left + fs * 14, legend_y) if w - left > fs * 33 else (left, legend_y + fs * 1.3)
    out.append(f'<rect x="{left}" y="{legend_y - fs * 0.8:.1f}" width="{fs}" height="{fs}" fill="{CATEGORICAL[1]}" '
               f'fill-opacity="0.75"/><text x="{left + fs * 1.4}" y="{legend_y:.1f}" fill="#111">feature maps '
               f'(channels)</text><line x1="{second_x}" x2="{second_x + fs * 1.1}" y1="{second_y - fs * 0.3:.1f}" '
               f'y2="{second_y - fs * 0.3:.1f}" stroke="{CATEGORICAL[0]}" stroke-width="{lw}"/>'
               f'<text x="{second_x + fs * 1.4}" y="{second_y:.1f}" fill="#111">resolution (pixels per side)</text>')
    out.append("</svg>")
    return "".join(out)


_JS = """
const hub = window.__convlabAnatomyStack || (window.__convlabAnatomyStack = { latest: null, follow: null });
if (!hub.listening) {
  hub.listening = true;
  window.addEventListener("convlab-anatomy-stack", (ev) => { hub.latest = ev.detail; if (hub.follow) hub.follow(); });
}
export default function ({ data, parentElement, setTriggerValue, setStateValue }) {
  const root = parentElement.querySelector(".ad-root");
  if (!root || !data) return;
  if (root.__svg !== data.svg) { root.innerHTML = data.svg; root.__svg = data.svg; }
  // Draw at the shown width: report it when it differs from the width this SVG was drawn for.
  const report = () => {
    const w = Math.round(root.clientWidth);
    if (w > 0 && Math.abs(w - data.width) > 4 && root.__reported !== w) { root.__reported = w; setStateValue("width", w); }
  };
  report();
  if (!root.__observer) {
    let timer = null;
    root.__observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(() => root.__report(), 250); });
    root.__observer.observe(root);
  }
  root.__report = report;
  root.dataset.stack = data.stack_id;
  const follow = () => {
    const want = hub.latest;
    if (want && want !== data.stack_id && want !== root.__asked) { root.__asked = want; setTriggerValue("sync", want); }
  };
  hub.follow = follow;
  follow();
  return () => { if (hub.follow === follow) hub.follow = null; };
}
"""
_chart = st.components.v2.component("convlab_anatomy_depth", html='<div class="ad-root"></div>', js=_JS,
                                    css=".ad-root { line-height: 0; } .ad-root svg { display: block; }")


def shown_width(key: str) -> int:
    """The width (CSS px) the chart under `key` last reported, else DEFAULT_WIDTH."""
    value = st.session_state.get(key)
    width = value.get("width") if isinstance(value, dict) else getattr(value, "width", None)
    ok = isinstance(width, int | float) and not isinstance(width, bool) and 100 <= width <= 10_000
    return int(width) if ok else DEFAULT_WIDTH


def depth_chart(labels: list[str], resolution: list[int], maps: list[int], stack_id: str, key: str) -> None:
    """Put the SVG on the page; `stack_id` names the stack it shows (components.stack_editor.stack_id)."""
    width = shown_width(key)
    _chart(key=key, data=dict(svg=depth_svg(labels, resolution, maps, width=width), stack_id=stack_id, width=width),
           on_sync_change=lambda: None, on_width_change=lambda: None, width="stretch")
