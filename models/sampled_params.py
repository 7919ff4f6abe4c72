"""Put into words what a random step's make_params drew (angle, crop box, flip yes/no, ...)."""

import math

import torch


def _corner_shift(coeffs: list[float], w: int = 1, h: int = 1) -> str:
    a, b, c, d, e, f, g, hh = coeffs
    worst = 0.0
    for x, y in ((0, 0), (w, 0), (0, h), (w, h)):
        den = g * x + hh * y + 1
        worst = max(worst, math.hypot((a * x + b * y + c) / den - x, (d * x + e * y + f) / den - y))
    return f"corners moved up to {worst:.0f} px"


def describe(name: str, params: dict | None, applied: bool, size: tuple[int, int] | None = None) -> str:
    """One line for a step's drawn parameters. params: the dict make_params returned (None if not called)."""
    if name in ("RandomHorizontalFlip", "RandomVerticalFlip"):
        return "flipped: yes" if applied else "flipped: no"
    if not applied or params is None:
        return "skipped (the coin said no)" if not name.startswith("Lambda") else "noise drawn"
    if name == "RandomRotation":
        return f"angle {params['angle']:+.1f}°"
    if name == "RandomAffine":
        tx, ty = params["translate"]
        sx, sy = params["shear"]
        return (f"angle {params['angle']:+.1f}°, shift ({tx}, {ty}) px, scale {params['scale']:.2f}"
                + (f", shear ({sx:.1f}°, {sy:.1f}°)" if sx or sy else ""))
    if name in ("RandomResizedCrop", "RandomCrop"):
        return f"crop {params['height']}×{params['width']} at (top {params['top']}, left {params['left']})"
    if name == "RandomErasing":
        if params.get("v") is None:
            return "nothing erased"
        return f"erased {params['h']}×{params['w']} at (top {params['i']}, left {params['j']})"
    if name == "ColorJitter":
        order = ["brightness", "contrast", "saturation", "hue"]
        used = [order[int(i)] for i in params["fn_idx"] if params.get(order[int(i)] + "_factor") is not None]
        return ", ".join(f"{k} {params[k + '_factor']:+.2f}" if k == "hue" else f"{k} ×{params[k + '_factor']:.2f}"
                         for k in used) + (" (in this order)" if len(used) > 1 else "")
    if name == "GaussianBlur":
        return f"sigma {params['sigma'][0]:.2f}"
    if name == "RandomPerspective":
        return _corner_shift(params["coefficients"], *(size or (1, 1))) if size else "corners moved"
    if name == "ElasticTransform":
        disp = params["displacement"]
        w, h = size or (2, 2)
        px = float(torch.hypot(disp[..., 0] * w / 2, disp[..., 1] * h / 2).max())
        return f"smooth random field, pixels moved up to {px:.1f} px"
    if name.startswith("RandomSaltAndPepper"):
        if not params["apply"]:
            return "skipped (the coin said no)"
        hit = params["hit"]
        return f"{int(hit.sum())} pixels hit ({float(hit.float().mean()):.1%})"
    return ", ".join(f"{k}={_short(v)}" for k, v in params.items())


def _short(v) -> str:
    if isinstance(v, torch.Tensor):
        return f"{tuple(v.shape)} tensor" if v.numel() > 4 else str(v.tolist())
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)
