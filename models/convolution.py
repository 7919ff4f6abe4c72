"""2D convolution as deep learning does it, plus the arithmetic behind any one output pixel.

Images are float32 numpy arrays in [0, 1]: grayscale (H, W) or RGB (H, W, 3); RGB is convolved
depthwise (the same kernel on each channel, like groups=3). Kernels are (k, k) with odd k.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from models.geometry import output_size
from models.kernels import KernelError
from models.resource_policy import Cost, check

PADDINGS = ("valid", "zeros", "reflect", "replicate", "circular")
PADDING_LABELS = {"valid": "valid (no padding)", "zeros": "same, zeros", "reflect": "same, reflect",
                  "replicate": "same, replicate", "circular": "same, circular"}
NUMPY_PAD = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
STRIDES = (1, 2, 3, 4)
DILATIONS = (1, 2, 3)


@dataclass(frozen=True)
class ConvSettings:
    padding: str = "zeros"
    stride: int = 1
    dilation: int = 1
    flip: bool = False  # True: true convolution (kernel rotated 180°); False: cross-correlation
    bias: float = 0.0

    def __post_init__(self):
        if self.padding not in PADDINGS:
            raise KernelError(f"Padding must be one of {', '.join(PADDINGS)}; got {self.padding!r}.")
        if self.stride not in STRIDES:
            raise KernelError(f"Stride must be 1, 2, 3 or 4; got {self.stride}.")
        if self.dilation not in DILATIONS:
            raise KernelError(f"Dilation must be 1, 2 or 3; got {self.dilation}.")

    def pad(self, k: int) -> int:
        """Pixels added on each side: 0 for valid, d(k−1)/2 ('same' at stride 1) otherwise."""
        return 0 if self.padding == "valid" else self.dilation * (k - 1) // 2


def effective_kernel(kernel: np.ndarray, settings: ConvSettings) -> np.ndarray:
    """The weights actually slid over the image: rotated 180° for true convolution."""
    return kernel[::-1, ::-1].copy() if settings.flip else np.asarray(kernel)


def output_shape(h: int, w: int, k: int, settings: ConvSettings) -> tuple[int, int]:
    p, s, d = settings.pad(k), settings.stride, settings.dilation
    return output_size(h, k, p, s, d), output_size(w, k, p, s, d)


def check_fits(h: int, w: int, k: int, settings: ConvSettings) -> None:
    """Raise KernelError when the (dilated) kernel is larger than the padded image or padding is impossible."""
    p, d = settings.pad(k), settings.dilation
    span = d * (k - 1) + 1
    for name, n in (("tall", h), ("wide", w)):
        if span > n + 2 * p:
            raise KernelError(f"The {k}x{k} kernel with dilation {d} spans {span} pixels, but the padded image is "
                              f"only {n} + 2·{p} = {n + 2 * p} pixels {name}. Choose a 'same' padding, a smaller "
                              f"kernel, less dilation or a bigger image.")
        if settings.padding in ("reflect", "circular") and p >= n:
            raise KernelError(f"{settings.padding.capitalize()} padding of {p} pixels needs an image more than {p} "
                              f"pixels {name} (it copies pixels from inside the image), but it is {n}. "
                              f"Use zeros or replicate padding, or a smaller kernel.")


def convolution_cost(h: int, w: int, channels: int, k: int, settings: ConvSettings) -> Cost:
    """Estimate of convolve() on an (h,w,channels) image: the padded input twice (pad, channels_last copy),
    the output four times (torch, numpy copy, display values, picture) in float32; 2 flops per tap."""
    p = settings.pad(k)
    ho, wo = output_shape(h, w, k, settings)
    ho, wo = max(ho, 0), max(wo, 0)
    nbytes = 4 * channels * (2 * (h + 2 * p) * (w + 2 * p) + 4 * ho * wo)
    return Cost(nbytes, 2.0 * channels * ho * wo * k * k,
                f"Convolving this {h}×{w}×{channels} image with a {k}×{k} kernel")


def check_convolution(h: int, w: int, channels: int, k: int, settings: ConvSettings, repeats: int = 1) -> Cost:
    """Raise models.resource_policy.ResourceLimitError before a convolution too big for the shared server."""
    one = convolution_cost(h, w, channels, k, settings)
    return check(Cost(one.bytes * repeats, one.flops * repeats, one.what))


def convolve(image: np.ndarray, kernel: np.ndarray, settings: ConvSettings) -> np.ndarray:
    """(H,W) or (H,W,C) float32 -> (Ho,Wo) or (Ho,Wo,C) float32, computed with torch.nn.functional.conv2d."""
    h, w = image.shape[:2]
    k = kernel.shape[0]
    check_fits(h, w, k, settings)
    hwc = np.ascontiguousarray(image[..., None] if image.ndim == 2 else image, dtype=np.float32)
    c = hwc.shape[2]
    # (H,W,C) memory viewed as (1,C,H,W) channels_last: no copy, and torch's depthwise kernel is ~3x faster
    x = torch.from_numpy(hwc).permute(2, 0, 1)[None]
    kern = torch.from_numpy(effective_kernel(kernel, settings).astype(np.float32).copy())
    weight = kern.expand(c, 1, k, k).contiguous()  # depthwise: the same kernel on every channel
    p = settings.pad(k)
    if p:  # padding inside conv2d takes a ~5x slower path for channels_last input
        x = F.pad(x, (p, p, p, p), mode="constant" if settings.padding == "zeros" else settings.padding)
        p = 0
    with torch.no_grad():
        y = F.conv2d(x.contiguous(memory_format=torch.channels_last), weight,
                     bias=torch.full((c,), settings.bias, dtype=torch.float32), stride=settings.stride,
                     padding=p, dilation=settings.dilation, groups=c)[0]  # (C,Ho,Wo)
    out = np.ascontiguousarray(y.permute(1, 2, 0).numpy())  # (Ho,Wo,C)
    return out[..., 0] if image.ndim == 2 else out


def padded(plane: np.ndarray, k: int, settings: ConvSettings) -> np.ndarray:
    """(H,W) -> (H+2p, W+2p) padded as the settings say (numpy's names for torch's modes)."""
    p = settings.pad(k)
    return plane if p == 0 else np.pad(plane, p, mode=NUMPY_PAD[settings.padding])


@dataclass
class Inspection:
    """Why output pixel (row, col) has its value. Coordinates of the patch are in the unpadded input."""
    row: int
    col: int
    patch: np.ndarray  # (k,k) input values under the kernel (padding included)
    weights: np.ndarray  # (k,k) kernel as applied (flipped for true convolution)
    product: np.ndarray  # (k,k) patch * weights
    total: float  # sum of product
    bias: float
    value: float  # total + bias
    top: int  # input row of the patch's first row (may be negative: padding)
    left: int
    span: int  # d(k-1)+1, the patch's footprint on the input


def inspect_pixel(plane: np.ndarray, kernel: np.ndarray, settings: ConvSettings, row: int, col: int) -> Inspection:
    """The arithmetic of one output pixel of a single channel plane (H,W), in float64."""
    k = kernel.shape[0]
    ho, wo = output_shape(*plane.shape, k, settings)
    if not (0 <= row < ho and 0 <= col < wo):
        raise KernelError(f"Output pixel (row {row + 1}, column {col + 1}) is outside the {ho}x{wo} output.")
    s, d, p = settings.stride, settings.dilation, settings.pad(k)
    span = d * (k - 1) + 1
    h, w = plane.shape
    if settings.padding in ("valid", "zeros", "replicate") or p == 0:
        # read only the window: clamp for replicate, zero outside for zeros
        rows, cols = np.arange(row * s - p, row * s - p + span, d), np.arange(col * s - p, col * s - p + span, d)
        patch = plane[np.clip(rows, 0, h - 1)[:, None], np.clip(cols, 0, w - 1)[None, :]].astype(np.float64)
        if settings.padding == "zeros":
            patch[(rows < 0) | (rows >= h), :] = 0.0
            patch[:, (cols < 0) | (cols >= w)] = 0.0
    else:
        big = padded(plane.astype(np.float64), k, settings)
        patch = big[row * s: row * s + span: d, col * s: col * s + span: d]
    weights = effective_kernel(kernel, settings).astype(np.float64)
    product = patch * weights
    total = float(product.sum())
    return Inspection(row, col, patch, weights, product, total, settings.bias, total + settings.bias,
                      row * s - p, col * s - p, d * (k - 1) + 1)


def gradient_magnitude(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """sqrt(gx² + gy²), elementwise; any matching shapes."""
    return np.sqrt(np.square(gx, dtype=np.float32) + np.square(gy, dtype=np.float32))


def rank_filter(image: np.ndarray, size: int, kind: str) -> np.ndarray:
    """Median, min or max over a size x size window (reflect borders), per channel. Non-linear filters."""
    from scipy import ndimage

    funcs = {"median": ndimage.median_filter, "min": ndimage.minimum_filter, "max": ndimage.maximum_filter}
    if kind not in funcs:
        raise KernelError(f"Filter must be median, min or max; got {kind!r}.")
    footprint = (size, size) if image.ndim == 2 else (size, size, 1)
    return funcs[kind](image, size=footprint, mode="reflect")


def frequency_response(kernel: np.ndarray, n: int = 64) -> np.ndarray:
    """(n,n) |FFT2| of the kernel zero-padded to n x n, zero frequency in the centre (fftshift)."""
    spectrum = np.fft.fft2(np.asarray(kernel, dtype=np.float64), s=(n, n))
    return np.fft.fftshift(np.abs(spectrum))


def robust_extent(out: np.ndarray, quantile: float = 0.995, max_samples: int = 100_000) -> float:
    """The 99.5th percentile of |out| (of an evenly strided sample above max_samples values), or max |out|
    when that is 0; 1.0 for an all-zero output."""
    flat = np.abs(out.ravel()[::max(1, out.size // max_samples)])
    m = float(np.quantile(flat, quantile)) if flat.size else 0.0
    return m or float(np.abs(out).max()) or 1.0


def display_values(out: np.ndarray, mode: str) -> tuple[np.ndarray, float, float]:
    """Map a signed output to (values, vmin, vmax) for display.

    clipped: values cut to [0,1]; absolute: |v| with 0..max; stretch: min..max to 0..1;
    diverging: v with a range symmetric around 0 (for a zero-centred colour scale), ±robust_extent(v), so a
    few strong edges do not wash every other value out to white.
    """
    if mode == "clipped":
        return np.clip(out, 0, 1), 0.0, 1.0
    if mode == "absolute":
        a = np.abs(out)
        return a, 0.0, float(a.max()) or 1.0
    if mode == "stretch":
        lo, hi = float(out.min()), float(out.max())
        return out, lo, hi if hi > lo else lo + 1.0
    if mode == "diverging":
        return out, -(m := robust_extent(out)), m
    raise KernelError(f"Unknown display mode {mode!r}.")


def histogram(out: np.ndarray, bins: int = 64, max_samples: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """(counts (bins,), edges (bins+1,)) of the output values over their full range.

    Above max_samples values, an evenly strided sample is counted (the shape is what matters).
    """
    lo, hi = float(out.min()), float(out.max())
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    flat = out.ravel()
    return np.histogram(flat[::max(1, flat.size // max_samples)], bins=bins, range=(lo, hi))


def sliding_steps(crop: np.ndarray, kernel: np.ndarray, settings: ConvSettings) -> list[Inspection]:
    """Every output cell of a small (h,w) crop in row-major order, for the sliding animation: what
    inspect_pixel() gives for each, with all windows gathered and multiplied at once."""
    k = kernel.shape[0]
    ho, wo = output_shape(*crop.shape, k, settings)
    check_fits(*crop.shape, k, settings)
    s, d, p = settings.stride, settings.dilation, settings.pad(k)
    big = padded(np.asarray(crop, np.float64), k, settings)
    taps = np.arange(0, d * (k - 1) + 1, d)
    rows, cols = np.arange(ho)[:, None] * s + taps, np.arange(wo)[:, None] * s + taps  # (ho, k), (wo, k)
    patches = big[rows[:, None, :, None], cols[None, :, None, :]].reshape(ho * wo, k, k)
    weights = effective_kernel(kernel, settings).astype(np.float64)
    products = patches * weights
    totals = products.reshape(ho * wo, k * k).sum(axis=1)
    span, bias = d * (k - 1) + 1, settings.bias
    return [Inspection(i // wo, i % wo, patches[i], weights, products[i], float(totals[i]), bias,
                       float(totals[i]) + bias, (i // wo) * s - p, (i % wo) * s - p, span) for i in range(ho * wo)]
