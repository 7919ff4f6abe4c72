"""The Kernels page's full state <-> URL query parameters, so a shared link restores the page.

decode() never raises: a malformed parameter falls back to its default and adds a notice.
"""

import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from models.convolution import DILATIONS, PADDINGS, STRIDES
from models.kernels import MAX_ABS, PRESETS, SIZES

VIEWS = ("auto", "clipped", "absolute", "stretch", "diverging")  # auto: models.kernels.suggested_view
ALL_PRESETS = (*PRESETS, *(f"learned conv1 #{i}" for i in range(10)), "custom")
COLOURS = ("gray", "rgb")
MAX_PARAM_CHARS = 2000  # an 11x11 kernel of 6-digit numbers needs about 1200


@dataclass(frozen=True)
class KernelState:
    image: str = "cat"
    colour: str = "gray"
    preset: str = "sobel x"
    size: int = 3
    sigma: float = 1.0
    length: int = 5
    angle: float = 0.0
    seed: int = 0
    kernel: tuple | None = None  # rows of floats when edited away from the preset
    normalise: bool = False
    bias: float = 0.0
    padding: str = "zeros"
    stride: int = 1
    dilation: int = 1
    flip: bool = False
    view: str = "auto"
    magnitude: bool = False
    row: int = 1  # inspected output pixel, 1-based like everything shown to students
    col: int = 1
    channel: int = 0


_NAMES = {f.name: f.name for f in fields(KernelState)}
_NAMES.update(kernel="k", normalise="norm", padding="pad", dilation="dil", magnitude="mag", channel="ch")
_CHOICES = {"colour": COLOURS, "preset": ALL_PRESETS, "padding": PADDINGS, "view": VIEWS}
_INTS = {"size": SIZES, "stride": STRIDES, "dilation": DILATIONS, "length": range(1, 12), "channel": range(3),
         "seed": range(0, 10**6), "row": range(1, 4097), "col": range(1, 4097)}
_FLOATS = {"sigma": (0.1, 10.0), "angle": (-180.0, 180.0), "bias": (-MAX_ABS, MAX_ABS)}


def kernel_to_text(kernel) -> str:
    return ";".join(",".join(f"{float(v):.6g}" for v in row) for row in kernel)


def kernel_from_text(text: str) -> tuple:
    """'a,b,c;d,e,f;g,h,i' -> rows; raises ValueError unless square, odd, finite and in range."""
    rows = [tuple(_number(x, float) for x in r.split(",")) for r in text.split(";")]
    if len(rows) not in SIZES or any(len(r) != len(rows) for r in rows):
        raise ValueError("not a square kernel of size 1, 3, 5, 7, 9 or 11")
    arr = np.array(rows, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] not in SIZES:
        raise ValueError("not a square kernel of size 1, 3, 5, 7, 9 or 11")
    if not np.isfinite(arr).all() or np.abs(arr).max() > MAX_ABS:
        raise ValueError("entries must be finite numbers within ±1000")
    return tuple(rows)


def encode(state: KernelState, extra: dict | None = None) -> dict[str, str]:
    """Only the parameters that differ from the defaults, as strings."""
    default = KernelState()
    out = dict(extra or {})
    for name, value in asdict(state).items():
        if value == getattr(default, name):
            continue
        if name == "kernel":
            out[_NAMES[name]] = kernel_to_text(value)
        elif isinstance(value, bool):
            out[_NAMES[name]] = "1" if value else "0"
        else:
            out[_NAMES[name]] = f"{value:g}" if isinstance(value, float) else str(value)
    return out


def _number(raw: str, kind: type):
    """int(raw) or float(raw), with a short message (the built-in ones repeat the whole text)."""
    try:
        return kind(raw)
    except (ValueError, OverflowError):
        raise ValueError("not a whole number" if kind is int else "not a number") from None


def _parse(name: str, raw: str, image_names):
    if name == "kernel":
        return kernel_from_text(raw)
    if name == "image":
        if raw not in image_names:
            raise ValueError("no sample by that name")
        return raw
    if name in _CHOICES:
        if raw not in _CHOICES[name]:
            options = _CHOICES[name]
            raise ValueError(f"must be one of {', '.join(options) if len(options) <= 6 else 'the names in the list'}")
        return raw
    if name in _INTS:
        value = _number(raw, int)
        if value not in _INTS[name]:
            raise ValueError(f"must be a whole number from {_INTS[name][0]} to {_INTS[name][-1]}")
        return value
    if name in _FLOATS:
        value = _number(raw, float)
        lo, hi = _FLOATS[name]
        if not (math.isfinite(value) and lo <= value <= hi):
            raise ValueError(f"must be between {lo:g} and {hi:g}")
        return value
    if raw not in ("0", "1"):
        raise ValueError("must be 0 or 1")
    return raw == "1"


def decode(params: dict, image_names=("cat",)) -> tuple[KernelState, list[str]]:
    """(state, notices) from query parameters {name: str}; unknown names are ignored."""
    state, notices, changes = KernelState(), [], {}
    for name, short in _NAMES.items():
        if short not in params:
            continue
        raw = params[short]
        raw = raw[-1] if isinstance(raw, list) else str(raw)
        if len(raw) > MAX_PARAM_CHARS:
            notices.append(f"URL parameter {short} is {len(raw)} characters long (at most {MAX_PARAM_CHARS}) and was "
                           f"ignored; using the default {getattr(state, name)!r}.")
            continue
        try:
            changes[name] = _parse(name, raw.strip(), image_names)
        except (ValueError, TypeError, OverflowError) as exc:
            notices.append(f"URL parameter {short}={raw[:40]!r} ignored ({exc}); using the default "
                           f"{getattr(state, name)!r}.")
    return replace(state, **changes), notices
