"""Plotly figures for the Kernels page. Row 0 is always at the top (image convention)."""

import numpy as np
import plotly.graph_objects as go

from components.theme import CATEGORICAL, DIVERGING_SCALE, SEQUENTIAL_SCALE, font_size, style_figure
from components.theme import projector as projector_on

MAX_LABELLED = 7  # larger grids are drawn without numbers: at the theme size they would overlap


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
        texttemplate=_fmt(values) if text and values.shape[0] <= MAX_LABELLED else None, showscale=showscale,
        name=name, textfont=dict(size=font_size()),
        hovertemplate="row %{y}, col %{x}: %{z:.4g}<extra></extra>", xgap=1, ygap=1)


def kernel_heatmap(kernel: np.ndarray, title: str = "Kernel weights") -> go.Figure:
    """Annotated (k,k) heatmap on the zero-centred diverging scale: blue < 0 < red, white = 0."""
    projector = projector_on()
    labels = np.arange(1, kernel.shape[0] + 1)
    fig = go.Figure(_heat(kernel, signed=True, x=labels, y=labels))
    fig.update_layout(title=title, height=(520 if kernel.shape[0] >= 7 else 420) if projector else 340)
    _grid_axes(fig, *kernel.shape)
    return style_figure(fig)


def gaussian_surface(g: np.ndarray) -> go.Figure:
    projector = projector_on()
    k = g.shape[0]
    x = np.arange(k) - k // 2
    fig = go.Figure(go.Surface(z=g, x=x, y=x, colorscale=SEQUENTIAL_SCALE, showscale=False))
    fig.update_layout(title="The bell in 3D (drag to rotate)", height=460 if projector else 380,
                      scene=dict(xaxis_title="x", yaxis_title="y", zaxis_title="weight"))
    return style_figure(fig)


def gaussian_profile(g1: np.ndarray, sigma: float) -> go.Figure:
    projector = projector_on()
    k = g1.shape[0]
    x = np.arange(k) - k // 2
    fig = go.Figure(go.Scatter(x=x, y=g1, mode="lines+markers", line_color=CATEGORICAL[0], name="weight"))
    for s in (-sigma, sigma):
        fig.add_vline(x=s, line_dash="dot", line_color=CATEGORICAL[3])
    fig.update_layout(title=f"1D profile (dotted: ±σ = ±{sigma:g})", height=380 if projector else 300,
                      xaxis_title="offset from centre (pixels)", yaxis_title="weight", showlegend=False)
    return style_figure(fig)
