"""Turn a drawn digit into MNIST's format, the way MNIST itself was made.

Steps (each kept in `stages` for display, uint8, white ink on black):
    raw      the image as grey ink on black (polarity detected, alpha composited, large images shrunk)
    cropped  cut to the ink's bounding box
    fitted   longer side scaled to 20 px, aspect ratio kept, anti-aliased
    centred  placed in a 28x28 frame with the ink's centre of mass at the centre
The model input is `centred` as float in [0, 1], normalised with MNIST's mean and std.
"""

from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
FRAME = 28
BOX = 20
MAX_SIDE = 1024  # larger inputs are shrunk first (keeps 5000x5000 uploads fast)
INK_THRESHOLD = 0.1  # ink level (0..1, after contrast stretch) that counts for the bounding box
MIN_CONTRAST = 0.08  # below this the canvas counts as blank


class DigitError(ValueError):
    """The input cannot be read as a digit image (wrong shape, no pixels, NaN values...)."""


@dataclass
class PreparedDigit:
    tensor: torch.Tensor  # (1,1,28,28) float32, normalised
    stages: dict[str, np.ndarray] = field(default_factory=dict)  # uint8 (H,W), white ink on black
    empty: bool = False
    inverted: bool = False  # True when the input was dark ink on a light background


def _to_uint8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)


def _as_float(arr: np.ndarray) -> np.ndarray:
    """Any numeric array -> float32 in [0, 1]."""
    if arr.dtype == bool:
        return arr.astype(np.float32)
    if arr.dtype == np.uint8:
        return arr.astype(np.float32) / 255.0
    if np.issubdtype(arr.dtype, np.integer):
        top = 65535.0 if arr.max(initial=0) > 255 else 255.0
        return np.clip(arr.astype(np.float32) / top, 0.0, 1.0)
    if not np.issubdtype(arr.dtype, np.floating):
        raise DigitError(f"pixel values must be numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float32)
    if not np.isfinite(arr).all():
        raise DigitError("the image contains NaN or infinite pixel values")
    lo, hi = float(arr.min()), float(arr.max())
    if lo >= 0.0 and hi <= 1.0:
        return arr
    if lo >= 0.0 and hi <= 255.0:
        return arr / 255.0
    return (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)


def _shrink(arr: np.ndarray) -> np.ndarray:
    """Shrink (H,W[,C]) float arrays so the long side is at most MAX_SIDE (box filter)."""
    h, w = arr.shape[:2]
    if max(h, w) <= MAX_SIDE:
        return arr
    scale = MAX_SIDE / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if arr.ndim == 2:
        return np.asarray(Image.fromarray(arr, mode="F").resize(size, Image.BOX))
    return np.stack([np.asarray(Image.fromarray(np.ascontiguousarray(arr[..., c]), mode="F").resize(size, Image.BOX))
                     for c in range(arr.shape[2])], axis=-1)


def _from_input(image) -> np.ndarray:
    """numpy array or PIL image -> float32 (H,W[,C]) in [0,1], at most MAX_SIDE on a side."""
    if isinstance(image, Image.Image):
        if image.width == 0 or image.height == 0:
            raise DigitError("the image is empty (0 pixels)")
        if max(image.size) > MAX_SIDE:
            image = image.copy()
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.BOX)
        if image.mode not in ("L", "LA", "RGB", "RGBA", "F", "I", "I;16", "1"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        arr = np.asarray(image)
        if image.mode in ("I", "I;16"):
            arr = arr.astype(np.int64)
    elif isinstance(image, np.ndarray):
        arr = image
    else:
        raise DigitError(f"expected a numpy array or a PIL image, got {type(image).__name__}")
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (2, 3, 4)):
        raise DigitError(f"expected a (H, W) grey or (H, W, 3/4) colour image, got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise DigitError("the image is empty (0 pixels)")
    if arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] in (3, 4):
        arr = _luminance_alpha_uint8(arr)  # fast path for canvases and photos: 1-2 channels, not 4
    return _shrink(_as_float(arr))


def _luminance_alpha_uint8(arr: np.ndarray) -> np.ndarray:
    """uint8 (H,W,3) -> (H,W) luminance; (H,W,4) -> (H,W,2) luminance + alpha (PIL's ITU-R 601 weights)."""
    arr = np.ascontiguousarray(arr)
    lum = np.asarray(Image.fromarray(arr, "RGBA" if arr.shape[2] == 4 else "RGB").convert("L"))
    return lum if arr.shape[2] == 3 else np.stack([lum, arr[..., 3]], axis=-1)


def _grey(arr: np.ndarray) -> np.ndarray:
    """(H,W[,C]) in [0,1] -> (H,W) luminance; transparent pixels become the ink's opposite."""
    if arr.ndim == 2:
        return arr
    alpha = arr[..., -1] if arr.shape[2] in (2, 4) else None
    colour = arr[..., :-1] if alpha is not None else arr
    lum = colour[..., 0] if colour.shape[2] == 1 else colour @ np.array([0.299, 0.587, 0.114], np.float32)
    if alpha is None or alpha.min() > 0.98:
        return lum
    opaque = alpha > 0.5
    ink_is_light = opaque.any() and float(lum[opaque].mean()) >= 0.5
    background = 0.0 if ink_is_light else 1.0
    return alpha * lum + (1.0 - alpha) * background


def _ink(grey: np.ndarray) -> tuple[np.ndarray, bool, float]:
    """Grey (H,W) -> ink (H,W) in [0,1] white on black, inverted flag, contrast."""
    background = float(np.median(grey))
    inverted = background > 0.5
    ink = 1.0 - grey if inverted else grey
    background = 1.0 - background if inverted else background
    top = float(ink.max())
    contrast = top - background
    if contrast < MIN_CONTRAST:
        return np.zeros_like(ink), inverted, contrast
    return np.clip((ink - background) / contrast, 0.0, 1.0), inverted, contrast


def _fit(crop: np.ndarray) -> np.ndarray:
    """Scale (h,w) so the longer side is BOX px (anti-aliased, aspect kept)."""
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    fitted = Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32), mode="F").resize(size, Image.BILINEAR)
    return np.clip(np.asarray(fitted), 0.0, 1.0)


def _centre(fitted: np.ndarray) -> np.ndarray:
    """Place (h,w) into FRAMExFRAME so its centre of mass lands on the middle (13.5, 13.5)."""
    h, w = fitted.shape
    mass = float(fitted.sum())
    if mass <= 0.0:
        fitted, mass = np.ones_like(fitted), float(fitted.size)
    ys, xs = np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32)
    cy = float(fitted.sum(1) @ ys) / mass
    cx = float(fitted.sum(0) @ xs) / mass
    top, left = int(np.rint(13.5 - cy)), int(np.rint(13.5 - cx))
    out = np.zeros((FRAME, FRAME), np.float32)
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + h, FRAME), min(left + w, FRAME)
    if y1 > y0 and x1 > x0:
        out[y0:y1, x0:x1] = fitted[y0 - top:y1 - top, x0 - left:x1 - left]
    return out


def normalise(frame: np.ndarray) -> torch.Tensor:
    """(28,28) or (N,28,28) ink in [0,1] -> normalised float32 tensor (1,1,28,28) / (N,1,28,28)."""
    t = torch.as_tensor(np.asarray(frame, np.float32))
    t = t.reshape(1, 1, FRAME, FRAME) if t.dim() == 2 else t.reshape(-1, 1, FRAME, FRAME)
    return (t - MNIST_MEAN) / MNIST_STD


def prepare_digit(image) -> PreparedDigit:
    """A drawn digit (numpy array or PIL image, any size, grey/RGB/RGBA, either polarity)
    -> PreparedDigit with the (1,1,28,28) model input. Blank or near-blank -> empty=True
    (tensor is an all-background frame). Unreadable input -> DigitError.
    """
    grey = _grey(_from_input(image))
    ink, inverted, _ = _ink(grey)
    stages = {"raw": _to_uint8(ink)}
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    if rows.size == 0:
        blank = np.zeros((FRAME, FRAME), np.float32)
        for name in ("cropped", "fitted", "centred"):
            stages[name] = _to_uint8(blank)
        return PreparedDigit(normalise(blank), stages, empty=True, inverted=inverted)
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    fitted = _fit(crop)
    centred = _centre(fitted)
    stages.update(cropped=_to_uint8(crop), fitted=_to_uint8(fitted), centred=_to_uint8(centred))
    return PreparedDigit(normalise(centred), stages, empty=False, inverted=inverted)
