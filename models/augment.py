"""Batched torch augmentation that makes MNIST digits look like canvas drawings.

All functions take ink images x: (B,1,28,28) float in [0,1] (white ink on black) and a
torch.Generator, and return the same shape. `canvas_like` chains them and ends with
`renormalise`, the batched twin of prepare_digit's crop -> 20 px box -> centre of mass step,
so training inputs are framed exactly like inference inputs.
"""

import math

import torch
import torch.nn.functional as F

SIZE = 28
BOX = 20.0
CENTRE = 13.5


def _uniform(n: int, lo: float, hi: float, gen: torch.Generator) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=gen)


def _identity_grid(n: int) -> torch.Tensor:
    """(n,28,28,2) sampling grid in pixel coordinates (x, y)."""
    ys, xs = torch.meshgrid(torch.arange(SIZE, dtype=torch.float32), torch.arange(SIZE, dtype=torch.float32),
                            indexing="ij")
    return torch.stack([xs, ys], dim=-1).expand(n, SIZE, SIZE, 2)


def _sample(x: torch.Tensor, grid_px: torch.Tensor) -> torch.Tensor:
    """Bilinear lookup of x at pixel coordinates grid_px (B,28,28,2), zeros outside."""
    grid = (grid_px + 0.5) / SIZE * 2.0 - 1.0  # align_corners=False convention
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def warp(x: torch.Tensor, gen: torch.Generator, rotate: float = 15.0, shear: float = 0.3,
         aspect: float = 0.2, elastic: float = 1.5) -> torch.Tensor:
    """Random rotation (deg), shear, aspect change and smooth elastic distortion (px amplitude)."""
    n = x.shape[0]
    angle = _uniform(n, -rotate, rotate, gen) * math.pi / 180
    sh = _uniform(n, -shear, shear, gen)
    asp = torch.exp(_uniform(n, -aspect, aspect, gen))
    cos, sin = torch.cos(angle), torch.sin(angle)
    # output->input map: A = R(angle) @ Shear @ diag(asp, 1/asp)
    a = torch.stack([torch.stack([cos * asp, (cos * sh - sin) / asp], -1),
                     torch.stack([sin * asp, (sin * sh + cos) / asp], -1)], -2)  # (n,2,2)
    pts = _identity_grid(n) - CENTRE
    src = torch.einsum("nij,nhwj->nhwi", a, pts) + CENTRE
    if elastic > 0:
        coarse = torch.randn(n, 2, 4, 4, generator=gen) * elastic
        field = F.interpolate(coarse, size=(SIZE, SIZE), mode="bicubic", align_corners=True)
        src = src + field.permute(0, 2, 3, 1)
    return _sample(x, src)


def thickness(x: torch.Tensor, gen: torch.Generator, p_thick: float = 0.4, p_thin: float = 0.15) -> torch.Tensor:
    """Per image: dilate (thicker stroke, soft or full), erode (thinner) or leave as is."""
    u = torch.rand(x.shape[0], generator=gen).view(-1, 1, 1, 1)
    dil = F.max_pool2d(x, 3, stride=1, padding=1)
    strength = torch.rand(x.shape[0], generator=gen).view(-1, 1, 1, 1) * 0.6 + 0.4
    thick = torch.maximum(x, dil * strength)
    thin = -F.max_pool2d(-x, 2, stride=1, padding=0)
    thin = F.pad(thin, (0, 1, 0, 1))
    thin = torch.where(thin.flatten(1).amax(1).view(-1, 1, 1, 1) > 0.3, thin, x)  # never erase a digit
    return torch.where(u < p_thick, thick, torch.where(u < p_thick + p_thin, thin, x))


def renormalise(x: torch.Tensor, jitter: float = 0.5, gen: torch.Generator | None = None,
                threshold: float = 0.1) -> torch.Tensor:
    """Rescale each image so its ink box is 20 px on the long side, centre of mass at (13.5, 13.5).

    Batched version of prepare_digit's framing step (x: (B,1,28,28), ink in [0,1]).
    """
    n = x.shape[0]
    img = x[:, 0]
    on = img > threshold
    rows, cols = on.any(2), on.any(1)
    idx = torch.arange(SIZE, dtype=torch.float32)
    big = torch.tensor(1e9)
    top = torch.where(rows, idx, big).amin(1)
    bottom = torch.where(rows, idx, -big).amax(1)
    left = torch.where(cols, idx, big).amin(1)
    right = torch.where(cols, idx, -big).amax(1)
    extent = torch.maximum(bottom - top, right - left) + 1.0
    valid = rows.any(1)
    scale = torch.where(valid, BOX / extent.clamp(min=1.0), torch.ones(n))  # output px per input px
    mass = img.sum((1, 2)).clamp(min=1e-6)
    cy = (img.sum(2) * idx).sum(1) / mass
    cx = (img.sum(1) * idx).sum(1) / mass
    cy, cx = torch.where(valid, cy, torch.full((n,), CENTRE)), torch.where(valid, cx, torch.full((n,), CENTRE))
    if gen is not None and jitter > 0:
        cx = cx + _uniform(n, -jitter, jitter, gen) / scale
        cy = cy + _uniform(n, -jitter, jitter, gen) / scale
    # anti-alias when shrinking: blur by the inverse scale before sampling
    pts = _identity_grid(n) - CENTRE
    src = pts / scale.view(-1, 1, 1, 1) + torch.stack([cx, cy], -1).view(-1, 1, 1, 2)
    out = _sample(x, src)
    shrink = scale < 0.95
    if shrink.any():
        blurred = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
        out = torch.where(shrink.view(-1, 1, 1, 1), _sample(blurred, src), out)
    return out.clamp(0.0, 1.0)


def canvas_like(x: torch.Tensor, gen: torch.Generator, strength: float = 1.0, aspect: float = 0.2,
                shear: float = 0.3, rotate: float = 15.0) -> torch.Tensor:
    """Warp + elastic + stroke thickness, then re-framed like prepare_digit. x: (B,1,28,28) in [0,1].
    `aspect` a: width/height changes by up to exp(±2a) (a narrow 1 must not become a 7's width)."""
    x = warp(x, gen, rotate=rotate * strength, shear=shear * strength, aspect=aspect * strength,
             elastic=1.2 * strength)
    x = thickness(x, gen)
    return renormalise(x, gen=gen)
