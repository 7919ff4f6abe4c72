"""The Pooling page's coverage block and summary as HTML (one element each instead of a dozen widgets).

The summary numbers look like st.metric (small label, big value) and the output-size formula like
st.code, sized in rem so projector mode scales them up with the rest of the page.
"""

from html import escape

import numpy as np

from components import theme
from components.pooling_figures import coverage_figure, coverage_legend
from models.pooling import PoolSummary

_METRIC = ('<div style="min-width:0"><div style="font-size:{lsize}rem;line-height:1.4;{label_weight}">{label}</div>'
           '<div data-metric="{label}" style="font-size:2.25rem;line-height:1.25;padding-bottom:.25rem;'
           'white-space:nowrap;overflow:hidden;text-overflow:ellipsis">{value}</div>{note}</div>')
_CODE = ('<pre data-testid="pool-formula" style="margin:.2rem 0 1rem 0;padding:1rem;border-radius:.5rem;'
         'background:#f8f9fb;font-family:\'Source Code Pro\',monospace;font-size:.875rem;line-height:1.6;white-space:pre-wrap">{text}</pre>')


def pct(value: float) -> str:
    return f"{100 * value:.0f}%" if value in (0.0, 1.0) or value >= 0.01 else f"{100 * value:.1f}%"


def coverage_block(cov: np.ndarray) -> str:
    """The coverage map (H, W) of window counts with its legend."""
    return coverage_figure(cov) + coverage_legend()


def summary_block(summary: PoolSummary, cov: np.ndarray) -> str:
    """Missed / overlap counts, output size, ratio, what is discarded, and PyTorch's size formula."""
    projector = theme.projector()
    (oh, ow), (h, w) = summary.out_shape, summary.in_shape
    missed, over = int((cov == 0).sum()), int((cov >= 2).sum())
    metrics = [("Output size", f"{oh}x{ow}", ""), ("Output / input", f"{oh * ow}/{h * w} = {summary.ratio:.2f}", ""),
               ("Activations discarded", pct(summary.reduction),
                "1 − outputs/inputs: what the layer does not pass on. 2x2 with stride 2 discards three quarters.")]
    if summary.never_win is not None:
        metrics.append(("Input cells that never win", pct(summary.never_win), ""))
    lsize = 0.95 if projector else 0.875
    cells = "".join(_METRIC.format(lsize=lsize, label=label, value=value, label_weight="font-weight:600;" * projector,
                                   note=f'<div style="font-size:{lsize}rem;line-height:1.35">{escape(tip)}</div>' if tip else "")
                    for label, value, tip in metrics)
    formulas = escape(f"H: {summary.formulas[0]}\nW: {summary.formulas[1]}")
    return (f'<div data-testid="pool-missed" style="font-size:{1.3 if projector else 1.15}rem;font-weight:700;'
            f'margin-bottom:.6rem">Missed pixels: {missed} of {h * w} ({pct(summary.missed)}) · seen more than once: '
            f'{over} ({pct(summary.overlap)})</div>'
            f'<div style="display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.4rem 1rem;margin-bottom:.6rem">'
            f'{cells}</div><p style="margin:0">Output size (PyTorch\'s formula, height then width):</p>'
            + _CODE.format(text=formulas))
