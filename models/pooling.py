"""2-D pooling (max, mean, min, Lp) written out window by window, matching PyTorch exactly.

A grid x is a float array of shape (H, W). Every output cell (i, j) comes from one window:
kernel rows r = i*s_h - p_h + a*d_h (a = 0..k_h-1) and columns likewise. Cells outside the input
are padding (max/min ignore them; mean counts them as zeros when count_include_pad).
The arithmetic follows torch.nn.functional.max_pool2d / avg_pool2d / lp_pool2d, including
ceil_mode (a last, partial window) and PyTorch's rule that padding is at most half the kernel.
"""

import math
from dataclasses import dataclass

import numpy as np

from models.geometry import formula_text, output_size

MODES = ("max", "mean", "min", "lp")
MODE_LABELS = {"max": "Max", "mean": "Mean (average)", "min": "Min", "lp": "Lp (power average)"}
MAX_ABS = 1_000_000.0  # largest |value| a grid cell may hold


class PoolingError(ValueError):
    """A pooling setting or input that cannot work; the message is written for a student."""


def _pair(value, name: str) -> tuple[int, int]:
    pair = tuple(value) if isinstance(value, tuple | list) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in pair):
        raise PoolingError(f"The {name} must be a whole number (or a height, width pair), got {value!r}.")
    return int(pair[0]), int(pair[1])


def fmt(value: float) -> str:
    """A number as a student would write it: 4, 2.5, 0.33, −3, 1.2e+06."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NaN"
    if math.isinf(value):
        return "−∞" if value < 0 else "∞"
    if abs(value) >= 1e5 and value != int(value) or abs(value) >= 1e7:
        return f"{value:.3g}".replace("-", "−")
    text = str(int(round(value))) if abs(value - round(value)) < 1e-9 else f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


@dataclass(frozen=True)
class PoolSpec:
    """Pooling settings. kernel/stride/padding/dilation are (height, width) pairs."""
    mode: str = "max"
    kernel: tuple[int, int] = (2, 2)
    stride: tuple[int, int] = (2, 2)
    padding: tuple[int, int] = (0, 0)
    dilation: tuple[int, int] = (1, 1)
    ceil_mode: bool = False
    count_include_pad: bool = True
    p: float = 2.0

    def __post_init__(self):
        if self.mode not in MODES:
            raise PoolingError(f"Unknown pooling type {self.mode!r}; choose one of {', '.join(MODES)}.")
        for name in ("kernel", "stride", "padding", "dilation"):
            object.__setattr__(self, name, _pair(getattr(self, name), name))
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = self.kernel, self.stride, self.padding, self.dilation
        if min(kh, kw) < 1:
            raise PoolingError(f"The window must be at least 1x1, got {kh}x{kw}.")
        if min(sh, sw) < 1:
            raise PoolingError(f"The stride must be at least 1 (the window has to move), got {sh}x{sw}.")
        if min(dh, dw) < 1:
            raise PoolingError(f"The dilation must be at least 1, got {dh}x{dw}.")
        if min(ph, pw) < 0:
            raise PoolingError(f"Padding cannot be negative, got {ph}x{pw}.")
        if self.mode in ("mean", "lp") and (dh, dw) != (1, 1):
            raise PoolingError(f"PyTorch's {MODE_LABELS[self.mode]} pooling has no dilation; set dilation to 1.")
        if self.mode == "lp" and (ph, pw) != (0, 0):
            raise PoolingError("PyTorch's Lp pooling (lp_pool2d) has no padding; set padding to 0.")
        if self.mode == "lp" and not (math.isfinite(self.p) and self.p >= 1):
            raise PoolingError(f"Lp pooling needs a power p of at least 1, got {self.p}.")
        for pad, k, axis in ((ph, kh, "tall"), (pw, kw, "wide")):
            if pad > k // 2:  # torch checks k // 2 (without dilation) for every pooling type
                raise PoolingError(
                    f"Padding {pad} is more than half the window ({k} cells {axis}); PyTorch allows at most "
                    f"{k // 2}. More padding would give windows that see mostly padding.")

    @property
    def span(self) -> tuple[int, int]:
        """Window extent on the input after dilation: d(k-1)+1 per axis."""
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel, self.dilation, strict=True))

    def output_shape(self, h: int, w: int) -> tuple[int, int]:
        """(out_h, out_w) as torch computes it; PoolingError if the window does not fit."""
        if h < 1 or w < 1:
            raise PoolingError(f"The input is empty ({h}x{w}); it needs at least one row and one column.")
        (ph, pw), (eh, ew) = self.padding, self.span
        oh = output_size(h, self.kernel[0], ph, self.stride[0], self.dilation[0], self.ceil_mode)
        ow = output_size(w, self.kernel[1], pw, self.stride[1], self.dilation[1], self.ceil_mode)
        if oh < 1 or ow < 1:  # with ceil_mode torch lets a last window hang over the end, so ask torch's formula
            kh, kw = self.kernel
            dil = f" (spread to {eh}x{ew} by dilation)" if (eh, ew) != (kh, kw) else ""
            pad = f" ({h + 2 * ph}x{w + 2 * pw} with padding)" if ph or pw else ""
            raise PoolingError(f"The {kh}x{kw} window{dil} does not fit in a {h}x{w} input{pad}, "
                               "so the output would have zero size. Use a smaller window, more padding "
                               "or a bigger grid.")
        return oh, ow

    def formulas(self, h: int, w: int) -> tuple[str, str]:
        """The output-size formula with the numbers filled in, for height and width."""
        return tuple(formula_text(n, k, p, s, d, self.ceil_mode) for n, k, p, s, d in
                     zip((h, w), self.kernel, self.padding, self.stride, self.dilation, strict=True))


def check_input(x: np.ndarray, spec: PoolSpec | None = None) -> np.ndarray:
    """Validate an (H, W) grid and return it as float64; PoolingError names the bad cell."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.size == 0:
        raise PoolingError(f"The input must be a non-empty 2-D grid, got shape {x.shape}.")
    bad = ~np.isfinite(x)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise PoolingError(f"Cell (row {r + 1}, column {c + 1}) is {fmt(float(x[r, c]))}, which is not a "
                           "usable number. Every cell needs a finite value.")
    big = np.abs(x) > MAX_ABS
    if big.any():
        r, c = np.argwhere(big)[0]
        raise PoolingError(f"Cell (row {r + 1}, column {c + 1}) is {x[r, c]:.3g}; keep values between "
                           f"−{MAX_ABS:,.0f} and {MAX_ABS:,.0f} so every cell stays readable and sums stay exact.")
    if spec is not None and spec.mode == "lp" and (x < 0).any():
        r, c = np.argwhere(x < 0)[0]
        raise PoolingError(f"Lp pooling raises every value to the power p, and PyTorch does not take |x| first, "
                           f"so negative values give wrong or undefined results: cell (row {r + 1}, column "
                           f"{c + 1}) is {fmt(float(x[r, c]))}. Use max or mean pooling, or non-negative values "
                           "(a ReLU usually comes before pooling).")
    return x


@dataclass(frozen=True)
class Window:
    """One pooling window. rows (k_h,), cols (k_w,) are input indices and may fall outside the input."""
    out: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    inside: np.ndarray  # (k_h, k_w) bool: tap lands on a real input cell
    padded: np.ndarray  # (k_h, k_w) bool: tap lands on zero padding (counted by mean with count_include_pad)
    divisor: int  # what mean/Lp divide by (torch's rule)
    value: float
    winner: tuple[int, int] | None  # input cell that max/min picked


def window_at(x: np.ndarray, spec: PoolSpec, i: int, j: int) -> Window:
    """The window behind output cell (i, j) of pooling grid x (H, W) with spec."""
    h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = spec.kernel, spec.stride, spec.padding, spec.dilation
    r0, c0 = i * sh - ph, j * sw - pw
    rows, cols = r0 + dh * np.arange(kh), c0 + dw * np.arange(kw)
    rin, cin = (rows >= 0) & (rows < h), (cols >= 0) & (cols < w)
    inside = rin[:, None] & cin[None, :]
    rpad, cpad = (rows >= -ph) & (rows < h + ph), (cols >= -pw) & (cols < w + pw)
    padded = rpad[:, None] & cpad[None, :] & ~inside
    # torch's avg_pool2d divisor: the window clipped to the padded input (count_include_pad) or to the input
    pool_h = min(r0 + kh, h + ph) - r0
    pool_w = min(c0 + kw, w + pw) - c0
    real = x[np.ix_(np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1))][inside]  # row-major order
    taps = [(int(r), int(c)) for r in rows for c in cols if 0 <= r < h and 0 <= c < w]
    winner = None
    if spec.mode in ("max", "min"):
        divisor = len(taps)
        if taps:
            k = int(np.argmax(real) if spec.mode == "max" else np.argmin(real))  # first one wins, as in torch
            winner, value = taps[k], float(real[k])
        else:
            value = -math.inf if spec.mode == "max" else math.inf
    else:
        divisor = pool_h * pool_w if spec.count_include_pad or spec.mode == "lp" else len(taps)
        if spec.mode == "mean":
            value = float(real.sum() / divisor)
        else:
            value = float((np.power(real, spec.p).sum() / divisor * kh * kw) ** (1.0 / spec.p))
    return Window((i, j), rows, cols, inside, padded, int(divisor), value, winner)


def windows(x: np.ndarray, spec: PoolSpec) -> list[Window]:
    """Every window in output order (row by row). x: (H, W) after check_input."""
    oh, ow = spec.output_shape(*x.shape)
    return [window_at(x, spec, i, j) for i in range(oh) for j in range(ow)]


def pool(x: np.ndarray, spec: PoolSpec) -> np.ndarray:
    """Pooled grid (out_h, out_w), equal to torch's max/avg/lp_pool2d (and -max_pool2d(-x) for min)."""
    x = check_input(x, spec)
    oh, ow = spec.output_shape(*x.shape)
    return np.array([wnd.value for wnd in windows(x, spec)]).reshape(oh, ow)


def analyse(x: np.ndarray, spec: PoolSpec) -> tuple:
    """(pooled (oh, ow), windows, coverage (H, W), PoolSummary) for a grid x (H, W), walking the windows once.

    PoolingError when the settings do not fit x."""
    x = check_input(x, spec)
    wins = windows(x, spec)
    values = np.array([wnd.value for wnd in wins]).reshape(spec.output_shape(*x.shape))
    return values, wins, coverage(x.shape, spec), summarize(x, spec, wins)


def coverage(shape: tuple[int, int], spec: PoolSpec) -> np.ndarray:
    """(H, W) int: how many windows see each input cell (0 = missed, 1 = once, 2+ = overlap)."""
    h, w = shape
    oh, ow = spec.output_shape(h, w)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = spec.kernel, spec.stride, spec.padding, spec.dilation
    rows = np.zeros(h, dtype=np.int64)
    cols = np.zeros(w, dtype=np.int64)
    for i in range(oh):
        r = i * sh - ph + dh * np.arange(kh)
        np.add.at(rows, r[(r >= 0) & (r < h)], 1)
    for j in range(ow):
        c = j * sw - pw + dw * np.arange(kw)
        np.add.at(cols, c[(c >= 0) & (c < w)], 1)
    return rows[:, None] * cols[None, :]  # windows form a grid, so the count separates


def arithmetic(x: np.ndarray, spec: PoolSpec, wnd: Window) -> str:
    """The sum written out for one window, e.g. 'max(3, 1, 4, 1) = 4'."""
    terms = []
    for a, r in enumerate(wnd.rows):
        for b, c in enumerate(wnd.cols):
            if wnd.inside[a, b]:
                terms.append(fmt(float(x[r, c])))
            elif wnd.padded[a, b] and spec.mode == "mean" and spec.count_include_pad:
                terms.append("0")
    if spec.mode in ("max", "min"):
        pads = int(wnd.padded.sum())
        note = f" (the {pads} padding cell{'s' if pads != 1 else ''} never win)" if pads else ""
        return f"{spec.mode}({', '.join(terms)}) = {fmt(wnd.value)}{note}"
    if spec.mode == "mean":
        pad_note = ""
        if wnd.padded.any():
            pad_note = (" (padding zeros counted)" if spec.count_include_pad else " (padding not counted)")
        return f"({' + '.join(terms)}) / {wnd.divisor} = {fmt(wnd.value)}{pad_note}"
    p = fmt(spec.p)
    kk = spec.kernel[0] * spec.kernel[1]
    scale = "" if wnd.divisor == kk else f" × {kk}/{wnd.divisor}"
    return f"({' + '.join(f'{t}^{p}' for t in terms)}{scale})^(1/{p}) = {fmt(wnd.value)}"


@dataclass(frozen=True)
class PoolSummary:
    in_shape: tuple[int, int]
    out_shape: tuple[int, int]
    formulas: tuple[str, str]
    missed: float  # fraction of input cells no window sees
    once: float
    overlap: float  # fraction seen by 2+ windows
    reduction: float  # 1 - outputs/inputs: the share of activations the layer does not pass on
    ratio: float  # outputs / inputs
    never_win: float | None  # max/min: fraction of input cells that win no window


def summarize(x: np.ndarray, spec: PoolSpec, wins: list[Window] | None = None) -> PoolSummary:
    h, w = x.shape
    out = spec.output_shape(h, w)
    cov = coverage((h, w), spec)
    n_in, n_out = h * w, out[0] * out[1]
    never = None
    if spec.mode in ("max", "min"):
        winners = {wnd.winner for wnd in (wins if wins is not None else windows(x, spec)) if wnd.winner}
        never = 1.0 - len(winners) / n_in
    return PoolSummary((h, w), out, spec.formulas(h, w), float((cov == 0).mean()), float((cov == 1).mean()),
                       float((cov >= 2).mean()), 1.0 - n_out / n_in, n_out / n_in, never)
