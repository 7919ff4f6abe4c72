"""The one declarative table of every transform ConvLab offers, and how to build each one.

A TransformSpec lists its parameters (kind, range, default, help). The page generates every widget from
this table, the pipeline builds the real `torchvision.transforms.v2` object from it, and the code exporter
writes the same constructor call as Python source. Nothing here is specific to one transform's widgets.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import torch
from torchvision.transforms import v2

from models import lambdas
from models import seeded_transforms as seeded
from models.custom_transform import RandomSaltAndPepper

KINDS = ("int", "float", "bool", "choice", "range", "floats")
PADDING_MODES = ("constant", "edge", "reflect", "symmetric")
INTERPOLATIONS = {"bilinear": v2.InterpolationMode.BILINEAR, "nearest": v2.InterpolationMode.NEAREST,
                  "bicubic": v2.InterpolationMode.BICUBIC}
DTYPES = {"float32": torch.float32, "float64": torch.float64, "uint8": torch.uint8}


class SpecError(ValueError):
    """A parameter value that does not fit its transform's spec."""


def shown(value: Any, limit: int = 40) -> str:
    """A value as quoted in a message: repr, cut to `limit` characters (files and links can hold anything)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Param:
    """One constructor parameter. kind: int | float | bool | choice | range (lo, hi) | floats (1-4 values)."""
    name: str
    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    options: tuple = ()
    help: str = ""

    def check(self, value: Any) -> Any:
        """Return the value in canonical form (tuple for range/floats) or raise SpecError in plain words."""
        k = self.kind
        if k == "bool":
            if not isinstance(value, bool):
                raise SpecError(f"{self.name} must be true or false, got {shown(value)}")
            return value
        if k == "choice":
            if isinstance(value, bool) or value not in self.options:
                raise SpecError(f"{self.name} must be one of {', '.join(map(str, self.options))}; got {shown(value)}")
            return value
        if k in ("range", "floats"):
            if not isinstance(value, list | tuple):
                raise SpecError(f"{self.name} must be a list of numbers, got {shown(value)}")
            if len(value) > 4:
                raise SpecError(f"{self.name} takes at most 4 numbers, got {len(value)}")
            values = tuple(self._number(v, float) for v in value)
            if k == "range" and (len(values) != 2 or values[0] > values[1]):
                raise SpecError(f"{self.name} must be two numbers, low then high; got {list(values)}")
            if k == "floats" and not 1 <= len(values) <= 4:
                raise SpecError(f"{self.name} needs 1 to 4 numbers (one per channel), got {len(values)}")
            return values
        return self._number(value, int if k == "int" else float)

    def _number(self, value: Any, cast: type) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SpecError(f"{self.name} must be a number, got {shown(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise SpecError(f"{self.name} must be a finite number, got {value}")
        if isinstance(value, int) and abs(value) > 2**53:
            raise SpecError(f"{self.name} is far outside its range ({self.lo:g} to {self.hi:g})")
        if cast is int and value != int(value):
            raise SpecError(f"{self.name} must be a whole number, got {value}")
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise SpecError(f"{self.name} must be between {self.lo:g} and {self.hi:g}, got {value:g}")
        return cast(value)


@dataclass(frozen=True)
class TransformSpec:
    """A catalogue entry. `kwargs(values)` turns parameter values into the constructor's keyword arguments."""
    name: str
    group: str
    summary: str
    factory: Callable  # the class (or callable) that builds the transform
    code_name: str  # how the exported code spells `factory`
    params: tuple[Param, ...] = ()
    kwargs: Callable[[dict], dict] = field(default=lambda v: dict(v))
    random: bool = False
    needs: str = "any"  # any | tensor | float: what its input must be (used by the tests and the checks)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def validate(self, values: dict) -> dict:
        """Defaults filled in, every value checked; unknown parameter names are an error."""
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            names = ", ".join(shown(str(k), 30) for k in sorted(map(str, unknown))[:3])
            raise SpecError(f"{self.name} has no parameter {names}")
        return {p.name: p.check(values.get(p.name, p.default)) for p in self.params}

    def build(self, values: dict):
        return self.factory(**self.kwargs(self.validate(values)))

    def code(self, values: dict) -> str:
        """The constructor call as Python source, e.g. "v2.RandomRotation(degrees=30.0)"."""
        args = ", ".join(f"{k}={code_value(v)}" for k, v in self.kwargs(self.validate(values)).items())
        return f"{self.code_name}({args})"


def code_value(v: Any) -> str:
    """Python source for a constructor argument."""
    if isinstance(v, v2.InterpolationMode):
        return f"v2.InterpolationMode.{v.name}"
    if isinstance(v, torch.dtype):
        return str(v)
    if isinstance(v, partial):
        args = ", ".join(f"{k}={code_value(x)}" for k, x in v.keywords.items())
        return f"partial({v.func.__name__}{', ' + args if args else ''})"
    if isinstance(v, tuple | list):
        inner = ", ".join(code_value(x) for x in v)
        return f"({inner},)" if isinstance(v, tuple) and len(v) == 1 else (f"({inner})" if isinstance(v, tuple)
                                                                            else f"[{inner}]")
    return repr(v)


P = Param


def _p(help_text: str = "Probability that the step is applied to a given image.", default: float = 0.5) -> Param:
    return P("p", "float", default, 0.0, 1.0, 0.05, help=help_text)


def _size(default: int, what: str) -> Param:
    return P("size", "int", default, 8, 1024, 1, help=f"{what} in pixels (a square).")


def _interp(v: dict) -> dict:
    return {**v, "interpolation": INTERPOLATIONS[v["interpolation"]]} if "interpolation" in v else v


def _affine(v: dict) -> dict:
    out = {"degrees": v["degrees"], "translate": (v["translate"], v["translate"]) if v["translate"] else None,
           "scale": v["scale"], "shear": v["shear"] or None}
    return out


def _lambda(fn: Callable, **names: str) -> Callable[[dict], dict]:
    """kwargs for v2.Lambda wrapping fn with the step's parameters (renamed per `names`)."""
    return lambda v: {"lambd": partial(fn, **{names.get(k, k): x for k, x in v.items()})}


_INTERP = P("interpolation", "choice", "bilinear", options=tuple(INTERPOLATIONS),
            help="How new pixel values are computed from the old ones.")
_PAD_MODE = P("padding_mode", "choice", "constant", options=PADDING_MODES,
              help="constant fills with `fill`; edge repeats the border; reflect/symmetric mirror the image.")
_FILL = P("fill", "int", 0, 0, 255, 1, help="Grey level (0 black .. 255 white) for pixels coming from outside.")

SPECS: tuple[TransformSpec, ...] = (
    TransformSpec("ToImage", "Conversion", "PIL image or array -> tv_tensors.Image (uint8, C x H x W). "
                  "With ToDtype it replaces the legacy ToTensor.", v2.ToImage, "v2.ToImage"),
    TransformSpec("ToDtype", "Conversion", "Change the tensor dtype; scale=True also maps 0..255 to 0..1.",
                  v2.ToDtype, "v2.ToDtype",
                  (P("dtype", "choice", "float32", options=tuple(DTYPES), help="Target dtype."),
                   P("scale", "bool", True, help="Rescale values to the new dtype's range (uint8 0..255 <-> "
                                                 "float 0..1). Without it, floats stay 0..255.")),
                  kwargs=lambda v: {"dtype": DTYPES[v["dtype"]], "scale": v["scale"]}),
    TransformSpec("ToPILImage", "Conversion", "Tensor -> PIL image (the inverse of ToImage; legacy name kept in v2).",
                  v2.ToPILImage, "v2.ToPILImage"),
    TransformSpec("Resize", "Geometry", "Scale the image so its SHORTER side is `size` (keeps the aspect ratio).",
                  v2.Resize, "v2.Resize",
                  (_size(256, "Length of the shorter side after resizing"), _INTERP,
                   P("antialias", "bool", True, help="Blur before shrinking to avoid aliasing (jagged edges).")),
                  kwargs=_interp),
    TransformSpec("CenterCrop", "Geometry", "Cut the central size x size square.", v2.CenterCrop, "v2.CenterCrop",
                  (_size(224, "Side of the crop"),)),
    TransformSpec("RandomCrop", "Geometry", "Cut a size x size square at a random position.", seeded.RandomCrop,
                  "v2.RandomCrop",
                  (_size(224, "Side of the crop"),
                   P("padding", "int", 0, 0, 64, 1, help="Pad every border by this many pixels first."),
                   P("pad_if_needed", "bool", False, help="Pad when the image is smaller than the crop."),
                   _FILL, _PAD_MODE), random=True),
    TransformSpec("RandomResizedCrop", "Geometry", "Crop a random area and aspect ratio, then resize to size: "
                  "the ImageNet training crop.", seeded.RandomResizedCrop, "v2.RandomResizedCrop",
                  (_size(224, "Output side"),
                   P("scale", "range", (0.08, 1.0), 0.01, 1.0, 0.01, help="Fraction of the image area to crop."),
                   P("ratio", "range", (0.75, 4 / 3), 0.2, 5.0, 0.05, help="Aspect ratio range (width/height)."),
                   _INTERP), kwargs=_interp, random=True),
    TransformSpec("Pad", "Geometry", "Add a border of `padding` pixels on every side.", v2.Pad, "v2.Pad",
                  (P("padding", "int", 16, 0, 128, 1, help="Border width in pixels."), _FILL, _PAD_MODE)),
    TransformSpec("RandomHorizontalFlip", "Geometry", "Mirror left-right with probability p.",
                  seeded.RandomHorizontalFlip, "v2.RandomHorizontalFlip", (_p(),), random=True),
    TransformSpec("RandomVerticalFlip", "Geometry", "Mirror top-bottom with probability p.",
                  seeded.RandomVerticalFlip, "v2.RandomVerticalFlip", (_p(),), random=True),
    TransformSpec("RandomRotation", "Geometry", "Rotate by an angle drawn uniformly from [-degrees, degrees].",
                  seeded.RandomRotation, "v2.RandomRotation",
                  (P("degrees", "float", 30.0, 0.0, 180.0, 1.0, help="Largest rotation either way, in degrees."),
                   P("expand", "bool", False, help="Grow the canvas so the rotated corners are not cut off."),
                   _FILL), random=True),
    TransformSpec("RandomAffine", "Geometry", "Random rotation, shift, zoom and shear in one warp.", seeded.RandomAffine,
                  "v2.RandomAffine",
                  (P("degrees", "float", 15.0, 0.0, 180.0, 1.0, help="Largest rotation either way, in degrees."),
                   P("translate", "float", 0.1, 0.0, 0.5, 0.01, help="Largest shift, as a fraction of width/height."),
                   P("scale", "range", (0.9, 1.1), 0.1, 3.0, 0.05, help="Zoom factor range."),
                   P("shear", "float", 0.0, 0.0, 45.0, 1.0, help="Largest shear angle in degrees (0 = none)."),
                   ), kwargs=_affine, random=True),
    TransformSpec("RandomPerspective", "Geometry", "Move the four corners randomly: a camera tilt.",
                  seeded.RandomPerspective, "v2.RandomPerspective",
                  (P("distortion_scale", "float", 0.5, 0.0, 1.0, 0.05, help="How far corners may move (0..1)."),
                   _p(), _FILL), random=True),
    TransformSpec("ElasticTransform", "Geometry", "Smooth random displacement of every pixel, like jelly.",
                  seeded.ElasticTransform, "v2.ElasticTransform",
                  (P("alpha", "float", 50.0, 0.0, 250.0, 5.0, help="Strength of the displacement."),
                   P("sigma", "float", 5.0, 0.5, 20.0, 0.5, help="Smoothness of the displacement field.")),
                  random=True),
    TransformSpec("Grayscale", "Colour", "Convert to grey (ITU-R 601 luma).", v2.Grayscale, "v2.Grayscale",
                  (P("num_output_channels", "choice", 1, options=(1, 3),
                     help="1 channel, or 3 identical channels so RGB models still accept it."),)),
    TransformSpec("ColorJitter", "Colour", "Random brightness, contrast, saturation and hue, in a random order.",
                  seeded.ColorJitter, "v2.ColorJitter",
                  (P("brightness", "float", 0.4, 0.0, 2.0, 0.05, help="Factor drawn from [1-b, 1+b]."),
                   P("contrast", "float", 0.4, 0.0, 2.0, 0.05, help="Factor drawn from [1-c, 1+c]."),
                   P("saturation", "float", 0.4, 0.0, 2.0, 0.05, help="Factor drawn from [1-s, 1+s]."),
                   P("hue", "float", 0.1, 0.0, 0.5, 0.01, help="Hue shift drawn from [-h, h] (0.5 = half turn).")),
                  random=True),
    TransformSpec("GaussianBlur", "Colour", "Blur with a Gaussian kernel whose sigma is drawn at random.",
                  seeded.GaussianBlur, "v2.GaussianBlur",
                  (P("kernel_size", "int", 9, 1, 31, 2, help="Odd kernel side in pixels."),
                   P("sigma", "range", (0.1, 2.0), 0.1, 10.0, 0.1, help="Range sigma is drawn from.")),
                  random=True),
    TransformSpec("Normalize", "Tensor", "(x - mean) / std per channel. Needs a float tensor in 0..1.",
                  v2.Normalize, "v2.Normalize",
                  (P("mean", "floats", (0.485, 0.456, 0.406), -1.0, 1.0, help="One mean per channel."),
                   P("std", "floats", (0.229, 0.224, 0.225), 0.01, 10.0, help="One std per channel (> 0).")),
                  kwargs=lambda v: {"mean": list(v["mean"]), "std": list(v["std"])}, needs="float"),
    TransformSpec("RandomErasing", "Tensor", "Blank out a random rectangle (Cutout). Tensors only.",
                  seeded.RandomErasing, "v2.RandomErasing",
                  (_p(),
                   P("scale", "range", (0.02, 0.33), 0.01, 1.0, 0.01, help="Fraction of the area to erase."),
                   P("ratio", "range", (0.3, 3.3), 0.1, 10.0, 0.1, help="Aspect ratio range of the rectangle."),
                   P("value", "float", 0.0, 0.0, 1.0, 0.05, help="Value written into the rectangle.")),
                  random=True, needs="tensor"),
    TransformSpec("Lambda: invert", "Lambda", "v2.Lambda(invert): the photographic negative.", v2.Lambda,
                  "v2.Lambda", kwargs=_lambda(lambdas.invert)),
    TransformSpec("Lambda: threshold", "Lambda", "v2.Lambda(threshold): black and white at a level.", v2.Lambda,
                  "v2.Lambda", (P("level", "float", 0.5, 0.0, 1.0, 0.05, help="Cut-off between 0 and 1."),),
                  kwargs=_lambda(lambdas.threshold)),
    TransformSpec("Lambda: gamma", "Lambda", "v2.Lambda(gamma): v ** g brightness curve.", v2.Lambda, "v2.Lambda",
                  (P("g", "float", 0.5, 0.1, 5.0, 0.1, help="Exponent: < 1 brighter, > 1 darker."),),
                  kwargs=_lambda(lambdas.gamma)),
    TransformSpec("Lambda: add noise", "Lambda", "v2.Lambda(add_noise): Gaussian noise from torch's generator.",
                  v2.Lambda, "v2.Lambda",
                  (P("sigma", "float", 0.1, 0.0, 1.0, 0.01, help="Noise standard deviation (0..1 scale)."),),
                  kwargs=_lambda(lambdas.add_noise), random=True),
    TransformSpec("RandomSaltAndPepper (custom)", "Custom", "Our own v2.Transform subclass (code below): random "
                  "black and white pixels.", RandomSaltAndPepper, "RandomSaltAndPepper",
                  (P("amount", "float", 0.05, 0.0, 0.5, 0.01, help="Fraction of pixels hit."),
                   _p("Probability that the image gets any noise at all.", 1.0)), random=True),
)

CATALOGUE: dict[str, TransformSpec] = {s.name: s for s in SPECS}


def spec(name: str) -> TransformSpec:
    if name not in CATALOGUE:
        raise SpecError(f"unknown transform {shown(name)}; ConvLab knows {', '.join(CATALOGUE)}")
    return CATALOGUE[name]
