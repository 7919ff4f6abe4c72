"""Plotly figures for the Kernels page. Row 0 is always at the top (image convention)."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.theme import CATEGORICAL, DIVERGING_SCALE, SEQUENTIAL_SCALE, font_size, style_figure

TEXT_SIZES = {1: 20, 3: 18, 5: 15, 7: 12, 9: 10, 11: 9}  # cell labels by grid size (px)


def _fmt(values: np.ndarray) -> str:
    return "%{z:.2f}" if values.size > 25 else "%{z:.3g}"


def _grid_axes(fig: go.Figure, rows: int, cols: int) -> None:
    """Square cells, row 0 on top; the plot shrinks (constrain=domain) rather than padding the axis ranges."""
    fig.update_xaxes(showgrid=False, zeroline=False, tickmode="linear", dtick=1 if cols <= 12 else 4,
                     constrain="domain")
    fig.update_yaxes(showgrid=False, zeroline=False, autorange="reversed", tickmode="linear",
                     dtick=1 if rows <= 12 else 4, scaleanchor="x", constrain="domain")


def _heat(values: np.ndarray, signed: bool, showscale: bool = True, text: bool = True, name: str = "",
          x=None, y=None) -> go.Heatmap:
    m = float(np.nanmax(np.abs(values))) if values.size and np.isfinite(values).any() else 1.0
    m = m or 1.0
    return go.Heatmap(
        z=values, x=x, y=y, colorscale=DIVERGING_SCALE if signed else SEQUENTIAL_SCALE,
        zmin=-m if signed else float(np.nanmin(values)), zmax=m if signed else float(np.nanmax(values)),
        texttemplate=_fmt(values) if text and values.shape[0] <= 16 else None, showscale=showscale, name=name,
        textfont=dict(size=TEXT_SIZES.get(values.shape[0], 9)),
        hovertemplate="row %{y}, col %{x}: %{z:.4g}<extra></extra>", xgap=1, ygap=1)


def kernel_heatmap(kernel: np.ndarray, projector: bool, title: str = "Kernel weights") -> go.Figure:
    """Annotated (k,k) heatmap on the zero-centred diverging scale: blue < 0 < red, white = 0."""
    labels = np.arange(1, kernel.shape[0] + 1)
    fig = go.Figure(_heat(kernel, signed=True, x=labels, y=labels))
    fig.update_layout(title=title, height=(520 if kernel.shape[0] >= 7 else 420) if projector else 340)
    _grid_axes(fig, *kernel.shape)
    return style_figure(fig, projector)


def gaussian_surface(g: np.ndarray, projector: bool) -> go.Figure:
    k = g.shape[0]
    x = np.arange(k) - k // 2
    fig = go.Figure(go.Surface(z=g, x=x, y=x, colorscale=SEQUENTIAL_SCALE, showscale=False))
    fig.update_layout(title="The bell in 3D (drag to rotate)", height=460 if projector else 380,
                      scene=dict(xaxis_title="x", yaxis_title="y", zaxis_title="weight"))
    return style_figure(fig, projector)


def gaussian_profile(g1: np.ndarray, sigma: float, projector: bool) -> go.Figure:
    k = g1.shape[0]
    x = np.arange(k) - k // 2
    fig = go.Figure(go.Scatter(x=x, y=g1, mode="lines+markers", line_color=CATEGORICAL[0], name="weight"))
    for s in (-sigma, sigma):
        fig.add_vline(x=s, line_dash="dot", line_color=CATEGORICAL[3])
    fig.update_layout(title=f"1D profile (dotted: ±σ = ±{sigma:g})", height=380 if projector else 300,
                      xaxis_title="offset from centre (pixels)", yaxis_title="weight", showlegend=False)
    return style_figure(fig, projector)


def sliding_figure(crop: np.ndarray, pad: int, out: np.ndarray, done: int, top: int, left: int, span: int,
                   projector: bool) -> go.Figure:
    """Padded input crop (pad cells each side) with the current window outlined (orange) and the real crop
    dashed, and the output built up to cell `done` (the rest blank)."""
    fig = make_subplots(1, 2, subplot_titles=("input crop + padding (window in orange)", "output so far"),
                        horizontal_spacing=0.08)
    coords = np.arange(crop.shape[0]) - pad
    fig.add_trace(_heat(crop, signed=False, showscale=False, x=coords, y=coords), 1, 1)
    side = crop.shape[0] - 2 * pad
    if pad:
        fig.add_shape(type="rect", x0=-0.5, x1=side - 0.5, y0=-0.5, y1=side - 0.5, row=1, col=1,
                      line=dict(color="#000000", width=2, dash="dash"))
    shown = out.astype(float).copy().ravel()
    shown[done + 1:] = np.nan
    shown = shown.reshape(out.shape)
    m = float(np.nanmax(np.abs(out))) or 1.0
    fig.add_trace(go.Heatmap(z=shown, colorscale=DIVERGING_SCALE, zmin=-m, zmax=m, showscale=False, xgap=1,
                             ygap=1, texttemplate="%{z:.2f}", hovertemplate="%{z:.4g}<extra></extra>"), 1, 2)
    width = 5 if projector else 3
    fig.add_shape(type="rect", x0=left - 0.5, x1=left + span - 0.5, y0=top - 0.5, y1=top + span - 0.5,
                  line=dict(color=CATEGORICAL[1], width=width), row=1, col=1)
    r, c = divmod(done, out.shape[1])
    fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                  line=dict(color=CATEGORICAL[1], width=width), row=1, col=2)
    fig.update_layout(height=560 if projector else 440)
    _grid_axes(fig, *crop.shape)
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    fig.update_xaxes(range=[-0.5, out.shape[1] - 0.5], row=1, col=2)
    fig.update_yaxes(range=[out.shape[0] - 0.5, -0.5], row=1, col=2)
    style_figure(fig, projector)
    fig.update_annotations(font_size=font_size(projector))
    fig.update_layout(margin_t=60 if projector else 45)
    return fig
