"""The fixed menu of functions a v2.Lambda step may wrap. User-typed code is never run.

Each function takes what a pipeline step receives — a PIL image, a uint8 tensor (C, H, W) in 0..255 or a
float tensor (C, H, W) in 0..1 — and returns the same kind (a tv_tensors.Image stays a tv_tensors.Image).
The sources of these functions are pasted into the exported code, so they use only `torch`, `tv_tensors`
and `F` (torchvision.transforms.v2.functional).
"""

import torch
from torchvision import tv_tensors
from torchvision.transforms.v2 import functional as F


def _as_float(x):
    """(PIL | tensor) -> (float tensor (C, H, W) in 0..1, function turning a result back into x's kind)."""
    if not isinstance(x, torch.Tensor):  # a PIL image
        return F.to_dtype(F.pil_to_tensor(x), torch.float32, scale=True), \
            lambda y: F.to_pil_image(F.to_dtype(y, torch.uint8, scale=True))
    dtype = x.dtype
    back = (lambda y: F.to_dtype(y, dtype, scale=True)) if not dtype.is_floating_point else (lambda y: y.to(dtype))
    if isinstance(x, tv_tensors.Image):
        return F.to_dtype(x.as_subclass(torch.Tensor), torch.float32, scale=True), \
            lambda y: tv_tensors.Image(back(y))
    return F.to_dtype(x, torch.float32, scale=True), back


def invert(x):
    """Photographic negative: v -> 1 - v (255 - v for uint8)."""
    v, back = _as_float(x)
    return back(1.0 - v)


def threshold(x, level=0.5):
    """Black and white: 1 where v > level, else 0 (per channel)."""
    v, back = _as_float(x)
    return back((v > level).to(torch.float32))


def gamma(x, g=1.0):
    """Gamma curve v -> v ** g: g < 1 brightens the shadows, g > 1 darkens them."""
    v, back = _as_float(x)
    return back(v.clamp(0, 1) ** g)


def add_noise(x, sigma=0.1, generator=None):
    """Add Gaussian noise N(0, sigma^2) drawn from `generator` (torch's global one if None), clip to 0..1."""
    v, back = _as_float(x)
    return back((v + sigma * torch.randn(v.shape, generator=generator)).clamp(0, 1))


MENU = {"invert": invert, "threshold": threshold, "gamma": gamma, "add noise": add_noise}
