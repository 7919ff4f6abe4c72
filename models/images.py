"""Decode, check and normalise images from uploads, the webcam and assets/samples/.

Every image leaves here as float32 RGB in [0, 1] with shape (H, W, 3), at most MAX_SIDE on its
longer side. Anything that cannot be used raises ImageError with a message for a student.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "assets" / "samples"
SAMPLES = {
    "cat": "cat.jpg",
    "coffee": "coffee.jpg",
    "astronaut": "astronaut.jpg",
    "brick": "brick.jpg",
    "pattern": "pattern.png",
    "digit": "digit.png",
}
SAMPLE_LABELS = {
    "cat": "Cat (photo)",
    "coffee": "Coffee cup (photo)",
    "astronaut": "Astronaut (photo, 512x512)",
    "brick": "Brick wall (texture)",
    "pattern": "Test pattern (checkerboard, circles, text)",
    "digit": "MNIST digit (28x28)",
}
FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF")
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif"]
MAX_PIXELS = 40_000_000  # refused before decoding (decompression-bomb guard)
MAX_SIDE = 1024
MIN_SIDE = 4


class ImageError(ValueError):
    """An image ConvLab cannot use; the message is meant for the page."""


@dataclass
class LoadedImage:
    rgb: np.ndarray  # (H, W, 3) float32 in [0, 1]
    name: str
    notes: list[str] = field(default_factory=list)
    was_gray: bool = False

    @property
    def size(self) -> tuple[int, int]:
        """(height, width)."""
        return self.rgb.shape[0], self.rgb.shape[1]


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) -> (H, W) luma with ITU-R BT.601 weights, as PIL's "L" mode."""
    return (rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).astype(np.float32)


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageError("The file is empty.")
    try:
        img = Image.open(io.BytesIO(data), formats=FORMATS)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageError("This file is not an image ConvLab can read. "
                         "Use a PNG, JPEG, WebP, BMP, TIFF or GIF file.") from exc
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise ImageError(f"This image is {w}x{h} = {w * h / 1e6:.0f} megapixels; ConvLab refuses anything over "
                         f"{MAX_PIXELS / 1e6:.0f} megapixels before decoding it (it could exhaust the server's memory).")
    return img


def _to_rgb_array(img: Image.Image, notes: list[str]) -> np.ndarray:
    """Any PIL mode -> (H, W, 3) float32 in [0, 1]."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float32)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        notes.append(f"{img.mode} ({'16-bit' if top > 255 else 'integer'}) image scaled to 0..1.")
        gray = np.clip(arr / top, 0, 1)
        return np.repeat(gray[..., None], 3, axis=2)
    if img.mode == "P":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "RGB" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        if np.asarray(rgba)[..., 3].min() < 255:
            notes.append("Transparent areas were placed on a white background.")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    if img.mode == "CMYK":
        notes.append("CMYK image converted to RGB.")
    return np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0


def load_image(data: bytes, name: str = "upload", max_side: int = MAX_SIDE) -> LoadedImage:
    """Decode image bytes into a LoadedImage, or raise ImageError with a readable reason."""
    img = _open(data)
    notes: list[str] = []
    try:
        if getattr(img, "n_frames", 1) > 1:
            notes.append(f"Animated {img.format}: using the first of its {img.n_frames} frames.")
        img.seek(0)
        if _exif_orientation(img) not in (None, 1):
            notes.append("Rotated upright using the photo's EXIF orientation.")
        img = ImageOps.exif_transpose(img)
        was_gray = img.mode in ("L", "LA", "I;16", "I;16B", "I;16L", "I", "F", "1")
        w, h = img.size
        if min(w, h) < MIN_SIDE:
            raise ImageError(f"This image is only {w}x{h} pixels: too small to slide a kernel or pooling window "
                             f"over. Use an image at least {MIN_SIDE} pixels on each side.")
        if max(w, h) > max_side:
            scale = max_side / max(w, h)
            new = (max(1, round(w * scale)), max(1, round(h * scale)))
            img = _resize_any_mode(img, new)
            notes.append(f"Downscaled from {w}x{h} to {new[0]}x{new[1]} (longer side capped at {max_side} px).")
        rgb = _to_rgb_array(img, notes)
    except ImageError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError("This image file is damaged or truncated, so it cannot be decoded.") from exc
    return LoadedImage(np.ascontiguousarray(rgb, dtype=np.float32), name, notes, was_gray)


def _exif_orientation(img: Image.Image) -> int | None:
    try:
        return img.getexif().get(0x0112)
    except (OSError, ValueError, SyntaxError):
        return None


def _resize_any_mode(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    if img.mode in ("P", "1", "CMYK"):
        img = img.convert("RGBA" if img.mode == "P" else "RGB")
    return img.resize(size, Image.Resampling.LANCZOS if img.mode not in ("I;16", "I;16B", "I;16L") else
                      Image.Resampling.BILINEAR)


def load_sample(name: str) -> LoadedImage:
    """One of the shipped sample images by its key in SAMPLES."""
    if name not in SAMPLES:
        raise ImageError(f"There is no sample image called {name!r}.")
    loaded = load_image((SAMPLES_DIR / SAMPLES[name]).read_bytes(), name=name)
    loaded.notes.clear()
    return loaded
