"""What a pipeline stage holds (type, shape, dtype, value range) and how to turn it into a viewable RGB array."""

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from torchvision import tv_tensors


@dataclass(frozen=True)
class StageInfo:
    kind: str  # "PIL.Image", "torch.Tensor" or "tv_tensors.Image"
    shape: str  # (C, H, W) for tensors; "W x H, mode RGB" for PIL
    dtype: str
    min: float
    max: float
    mean: float

    @property
    def line(self) -> str:
        return f"{self.kind} · {self.shape} · {self.dtype}"

    @property
    def stats(self) -> str:
        return f"min {self.min:.3g} · max {self.max:.3g} · mean {self.mean:.3g}"


def type_label(x) -> str:
    if isinstance(x, Image.Image):
        return "PIL.Image"
    if isinstance(x, tv_tensors.Image):
        return "tv_tensors.Image"
    return "torch.Tensor"


def stage_info(x) -> StageInfo:
    """Type, shape, dtype and min/max/mean of a PIL image or tensor (C, H, W)."""
    if isinstance(x, Image.Image):
        arr = np.asarray(x)
        shape = f"{x.width}×{x.height} {x.mode}, as array {tuple(arr.shape)}"
        return StageInfo("PIL.Image", shape, f"{arr.dtype} (PIL)", float(arr.min()), float(arr.max()),
                         float(arr.mean()))
    t = x.as_subclass(torch.Tensor).detach()
    a = t.numpy() if t.dtype != torch.bfloat16 else t.float().numpy()  # numpy: no thread pool for small arrays
    return StageInfo(type_label(x), f"shape {tuple(t.shape)} (C, H, W)", str(t.dtype).replace("torch.", ""),
                     float(a.min()), float(a.max()), float(a.mean(dtype=np.float64)))


def display_array(x, norm: tuple | None) -> tuple[np.ndarray, str]:
    """A stage as (H, W, 3) uint8 for display, and a note saying how it was mapped (empty if as-is).

    norm: (mean, std) of the Normalize in force, so float tensors are shown de-normalised (x * std + mean).
    """
    if isinstance(x, Image.Image):
        arr = np.asarray(x.convert("RGB") if x.mode not in ("RGB", "L") else x)
        return (np.repeat(arr[..., None], 3, axis=2) if arr.ndim == 2 else arr), ""
    a = x.as_subclass(torch.Tensor).detach().cpu().numpy()
    if a.ndim == 2:
        a = a[None]
    notes = []
    if np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float32)
        if norm is not None:
            mean = np.asarray(norm[0], np.float32).reshape(-1, 1, 1)
            std = np.asarray(norm[1], np.float32).reshape(-1, 1, 1)
            if mean.shape[0] in (1, a.shape[0]) and std.shape[0] in (1, a.shape[0]):
                a = a * std + mean
                notes.append("de-normalised for viewing (x·std + mean)")
        lo, hi = float(a.min()), float(a.max())
        if lo < -0.01 or hi > 1.01:
            notes.append(f"values {lo:.3g}..{hi:.3g} clipped to 0..1 for viewing")
        arr = np.rint(np.clip(a, 0, 1) * 255).astype(np.uint8)
    elif a.dtype == np.uint8:
        arr = a
    else:
        arr = np.clip(a, 0, 255).astype(np.uint8)
    c = arr.shape[0]
    if c == 1:
        arr = np.repeat(arr, 3, axis=0)
    elif c != 3:
        arr = arr[:3] if c > 3 else np.concatenate([arr, np.repeat(arr[-1:], 3 - c, axis=0)])
        notes.append(f"{c} channels: first 3 shown as RGB")
    return np.ascontiguousarray(arr.transpose(1, 2, 0)), "; ".join(notes)
