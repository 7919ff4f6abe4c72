"""Pooling a whole image level after level: max and mean side by side, plus noisy and sparse inputs.

Images are float32 arrays in [0, 1], (H, W) gray or (H, W, 3) RGB. Pooling uses torch's own
max_pool2d / avg_pool2d per channel, so these pictures are exactly what a CNN layer computes.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from models.noise import salt_and_pepper
from models.torch_threads import one_torch_thread

MAX_LEVELS = 4
WORK_SIDE = 512  # images are brought to at most this side before pooling
VARIANTS = ("clean", "gaussian", "salt_pepper", "sparse")
VARIANT_LABELS = {"clean": "Clean image", "gaussian": "Gaussian noise", "salt_pepper": "Salt-and-pepper noise",
                  "sparse": "Sparse: thin bright lines on black"}


class PoolImageError(ValueError):
    """Settings the image view cannot use; the message is written for a student."""


@dataclass(frozen=True)
class Level:
    index: int  # 0 = the input
    max: np.ndarray  # (h, w[, 3]) float32
    mean: np.ndarray

    @property
    def size(self) -> tuple[int, int]:
        return self.max.shape[0], self.max.shape[1]


def _to_tensor(img: np.ndarray) -> torch.Tensor:
    arr = img if img.ndim == 3 else img[..., None]
    # contiguous NCHW: torch's pooling is 5-10x slower on the channels-last view permute() gives
    return torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32)).permute(2, 0, 1).contiguous()[None]


def _to_array(t: torch.Tensor, gray: bool) -> np.ndarray:
    arr = t[0].permute(1, 2, 0).numpy()
    return arr[..., 0] if gray else arr


def fit_side(img: np.ndarray, side: int = WORK_SIDE) -> np.ndarray:
    """Downscale (area average) so the longer side is at most `side`; smaller images are unchanged."""
    h, w = img.shape[:2]
    if max(h, w) <= side:
        return img.astype(np.float32, copy=False)
    scale = side / max(h, w)
    t = F.interpolate(_to_tensor(img), size=(max(1, round(h * scale)), max(1, round(w * scale))),
                      mode="area")
    return _to_array(t, img.ndim == 2)


def pool_levels(img: np.ndarray, levels: int, kernel: int = 2, stride: int | None = None) -> list[Level]:
    """[input, level 1, ..., level `levels`]: each level max-pools the previous max level and
    mean-pools the previous mean level with the same kernel and stride (default stride = kernel).
    Runs torch single-threaded in the calling thread (models.torch_threads)."""
    if not 1 <= levels <= MAX_LEVELS:
        raise PoolImageError(f"Choose between 1 and {MAX_LEVELS} levels, got {levels}.")
    stride = stride or kernel
    if kernel < 1 or stride < 1:
        raise PoolImageError("The window and the stride must be at least 1.")
    one_torch_thread()
    gray = img.ndim == 2
    t_max = t_mean = _to_tensor(img)
    out = [Level(0, img, img)]
    for level in range(1, levels + 1):
        h, w = t_max.shape[-2:]
        if h < kernel or w < kernel:
            raise PoolImageError(f"Level {level} would need a {kernel}x{kernel} window on a {w}x{h} image; "
                                 "use fewer levels or a larger image.")
        t_max = F.max_pool2d(t_max, kernel, stride)
        t_mean = F.avg_pool2d(t_mean, kernel, stride)
        out.append(Level(level, _to_array(t_max, gray), _to_array(t_mean, gray)))
    return out


def level_views(img: np.ndarray, levels: int, kernel: int, variant: str, amount: float) -> list[tuple]:
    """[(kind, level, (h, w), contrast, picture)] for the real-image view: the input (at most WORK_SIDE px, with
    the variant applied), then "max" and "mean" at each level. PoolImageError propagates."""
    source = make_variant(fit_side(img), variant, amount)
    shown = [("input", 0, source.shape[:2], contrast(source), source)]
    for level in pool_levels(source, levels, kernel)[1:]:
        shown += [(kind, level.index, level.size, contrast(pic), pic)
                  for kind, pic in (("max", level.max), ("mean", level.mean))]
    return shown


def contrast(img: np.ndarray) -> float:
    """Standard deviation of the pixel values (a simple contrast measure)."""
    return float(np.std(img))


def sparse_lines(size: int = WORK_SIDE, count: int = 12, seed: int = 0) -> np.ndarray:
    """(size, size) float32: `count` thin (1 px) bright straight lines on black."""
    rng = np.random.default_rng(seed)
    img = np.zeros((size, size), dtype=np.float32)
    t = np.linspace(0.0, 1.0, 4 * size)
    for _ in range(count):
        (r0, c0), (r1, c1) = rng.uniform(0, size - 1, size=(2, 2))
        rr = np.round(r0 + (r1 - r0) * t).astype(int)
        cc = np.round(c0 + (c1 - c0) * t).astype(int)
        img[rr, cc] = rng.uniform(0.7, 1.0)
    return img


def make_variant(img: np.ndarray, variant: str, amount: float = 0.1, seed: int = 0) -> np.ndarray:
    """The input for a variant: the image itself, with noise of strength `amount`, or sparse lines.

    amount is sigma for Gaussian noise and the fraction of pixels hit for salt-and-pepper (0..1).
    """
    if variant not in VARIANTS:
        raise PoolImageError(f"Unknown variant {variant!r}.")
    if not 0.0 <= amount <= 1.0:
        raise PoolImageError(f"The noise amount must be between 0 and 1, got {amount}.")
    if variant == "clean":
        return img
    if variant == "gaussian":  # N(0, amount²) added in float32: a third of the time of models.noise's float64 draw
        noise = np.random.default_rng(seed).standard_normal(img.shape, dtype=np.float32)
        return np.clip(img.astype(np.float32, copy=False) + amount * noise, 0.0, 1.0)
    if variant == "salt_pepper":
        return salt_and_pepper(img, amount, seed).astype(np.float32)
    return sparse_lines(max(img.shape[:2]), seed=seed)
