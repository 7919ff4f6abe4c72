"""Saving and sharing a pipeline: JSON files, a compact URL parameter, and runnable Python code.

File format (JSON): {"format": "convlab-transform-pipeline", "version": 1, "seed": 0,
"steps": [{"transform": "Resize", "enabled": true, "params": {"size": 256, ...}}, ...]}

Files and links come from anyone, so they are read as data with limits before anything else: the link's
length and its unpacked size (models.resource_policy.decompress_bounded), JSON without NaN or Infinity,
numbers of at most MAX_NUMBER_DIGITS digits, nesting at most MAX_DEPTH deep, at most MAX_STEPS steps.
Every refusal is a PipelineFileError whose text is safe to show (values quoted short, by repr).
"""

import base64
import binascii
import inspect
import json
import math
import zlib

from models import lambdas
from models.custom_transform import RandomSaltAndPepper
from models.pipeline import PipelineError, make_step
from models.resource_policy import ResourceLimitError, decompress_bounded
from models.transform_specs import CATALOGUE, shown, spec

FORMAT = "convlab-transform-pipeline"
VERSION = 1
MAX_STEPS = 32  # the editor's Add button stops here too
MAX_SEED = 2**31 - 1
MAX_LINK_CHARS = 8_000  # a real 32-step link is under 2,000
MAX_NUMBER_DIGITS = 24
MAX_DEPTH = 8  # a real file is 4 deep: {steps: [{params: {scale: [..]}}]}


class PipelineFileError(ValueError):
    """A pipeline file or link that cannot be read; the message says why, for the page."""


def to_dict(steps: list[dict], seed: int) -> dict:
    return {"format": FORMAT, "version": VERSION, "seed": int(seed),
            "steps": [{"transform": s["name"], "enabled": s["enabled"],
                       "params": {k: list(v) if isinstance(v, tuple) else v for k, v in s["params"].items()}}
                      for s in steps]}


def to_json(steps: list[dict], seed: int) -> str:
    return json.dumps(to_dict(steps, seed), indent=2)


def _depth(value, limit: int) -> int:
    """Nesting depth of lists/dicts, counting no further than limit + 1 (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list) and depth <= limit + 1:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def from_dict(data, first_id: int = 0) -> tuple[list[dict], int]:
    """(steps with fresh ids s<first_id>, s<first_id+1>, ..., seed) or PipelineFileError saying what is wrong."""
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise PipelineFileError(f"The pipeline is nested more than {MAX_DEPTH} levels deep; a real one is 4.")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PipelineFileError("This is not a ConvLab pipeline file (it has no "
                                f'"format": "{FORMAT}" entry). Export one from this page to see the layout.')
    if data.get("version") != VERSION:
        raise PipelineFileError(f"This pipeline file has version {shown(data.get('version'))}; this ConvLab "
                                f"reads version {VERSION}.")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise PipelineFileError(f"seed must be a whole number from 0 to {MAX_SEED}, got {shown(seed)}.")
    raw = data.get("steps")
    if not isinstance(raw, list):
        raise PipelineFileError('The file needs a "steps" list.')
    if len(raw) > MAX_STEPS:
        raise PipelineFileError(f"The file has {len(raw)} steps; ConvLab takes at most {MAX_STEPS}.")
    steps = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("transform"), str):
            raise PipelineFileError(f'Step {i} must be an object with a "transform" name.')
        name = item["transform"]
        if name not in CATALOGUE:
            raise PipelineFileError(f"Step {i}: unknown transform {shown(name)}. Known transforms: "
                                    f"{', '.join(CATALOGUE)}.")
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise PipelineFileError(f'Step {i} ({name}): "params" must be an object.')
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool | int):
            raise PipelineFileError(f'Step {i} ({name}): "enabled" must be true or false.')
        try:
            steps.append(make_step(name, params, f"s{first_id + i - 1}", bool(enabled)))
        except PipelineError as exc:
            raise PipelineFileError(f"Step {i} ({name}): {exc}.") from exc
    return steps, seed


def _no_constant(name: str):
    raise PipelineFileError(f"The pipeline holds {name}, which is not a number ConvLab accepts.")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise PipelineFileError(f"The pipeline holds {shown(text, 30)}, too large for any setting.")
    return value


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise PipelineFileError(f"The pipeline holds a number of {len(text)} digits, far too large for any setting.")
    return int(text)


def parse_json(text: str | bytes):
    """json.loads that refuses NaN, Infinity, numbers too large for any setting, and too much nesting."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite, parse_int=_whole)
    except RecursionError:
        raise PipelineFileError(f"The pipeline is nested more than {MAX_DEPTH} levels deep; a real one is 4.") \
            from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PipelineFileError(f"This is not valid JSON ({shown(str(exc), 80)}).") from None


def from_json(text: str | bytes, first_id: int = 0) -> tuple[list[dict], int]:
    return from_dict(parse_json(text), first_id)


def encode_url(steps: list[dict], seed: int) -> str:
    """A short URL-safe string holding the pipeline (only non-default parameters)."""
    compact = {"s": int(seed), "p": [[s["name"], {k: v for k, v in s["params"].items()
                                                 if v != spec(s["name"]).param(k).default},
                                      int(s["enabled"])] for s in steps]}
    raw = zlib.compress(json.dumps(compact, separators=(",", ":")).encode(), 9)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


DAMAGED = "The pipeline in this link is damaged (was it cut off when copying?)."


def decode_url(text: str, first_id: int = 0) -> tuple[list[dict], int]:
    """encode_url's inverse, for any string at all: the steps and seed, or PipelineFileError."""
    if not isinstance(text, str) or len(text) > MAX_LINK_CHARS:
        raise PipelineFileError(f"This link's pipeline is longer than {MAX_LINK_CHARS:,} characters, more than "
                                "any real pipeline needs; it was not read.")
    try:
        raw = decompress_bounded(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ResourceLimitError as exc:
        raise PipelineFileError(f"This link's pipeline: {exc}") from None
    except (binascii.Error, ValueError):
        raise PipelineFileError(DAMAGED) from None
    compact = parse_json(raw) if raw[:1] == b"{" else None
    try:
        data = {"format": FORMAT, "version": VERSION, "seed": compact["s"],
                "steps": [{"transform": n, "params": p, "enabled": e} for n, p, e in compact["p"][:MAX_STEPS + 1]]}
    except (ValueError, KeyError, TypeError):
        raise PipelineFileError(DAMAGED) from None
    return from_dict(data, first_id)


HEADER = '''"""Transform pipeline exported from ConvLab. Run it with: python pipeline.py"""
import torch
from functools import partial
from PIL import Image
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F
'''


def export_code(steps: list[dict], seed: int, image_line: str) -> str:
    """Python source that rebuilds the pipeline, seeds torch the same way and runs it on the image.

    image_line: source that sets `image` to the same PIL image the page used, e.g.
    'image = Image.open("cat.jpg").convert("RGB")' (build it with image_source_line: user text goes in by repr).
    """
    enabled = [s for s in steps if s["enabled"]]
    parts = [HEADER]
    used = {s["name"] for s in enabled}
    fns = [lambdas._as_float] if any(n.startswith("Lambda") for n in used) else []
    fns += [f for key, f in lambdas.MENU.items() if f"Lambda: {key}" in used]
    parts += [inspect.getsource(f) for f in fns]
    if any(n.startswith("RandomSaltAndPepper") for n in used):
        parts.append(inspect.getsource(RandomSaltAndPepper))
    skipped = [s["name"] for s in steps if not s["enabled"]]
    body = "".join(f"    {spec(s['name']).code(s['params'])},\n" for s in enabled) or \
        "    v2.Identity(),  # no step is switched on\n"
    parts.append(("# switched off on the page: " + ", ".join(skipped) + "\n" if skipped else "")
                 + f"pipeline = v2.Compose([\n{body}])\n")
    parts.append(f"SEED = {int(seed)}\n{image_line}\n"
                 "torch.manual_seed(SEED)  # one seed before the whole pipeline, exactly as ConvLab runs it\n"
                 "out = pipeline(image)\n"
                 'print(type(out).__name__, getattr(out, "shape", getattr(out, "size", None)), '
                 'getattr(out, "dtype", ""))\n')
    return "\n\n".join(p.rstrip("\n") + "\n" for p in parts)


def image_source_line(path: str, is_sample: bool, notes: list[str]) -> str:
    """Source that loads the same PIL image the page used; the file name goes in through repr, and the
    notes as one-line comments, so no name can add code to the exported script."""
    if is_sample:
        return f"image = Image.open({path!r}).convert(\"RGB\")  # ConvLab sample image"
    comment = "".join("\n# note: " + " ".join(str(n).split()) for n in notes)
    return f"image = Image.open({path!r}).convert(\"RGB\")  # your upload{comment}"
