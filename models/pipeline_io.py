"""Saving and sharing a pipeline: JSON files, a compact URL parameter, and runnable Python code.

File format (JSON): {"format": "convlab-transform-pipeline", "version": 1, "seed": 0,
"steps": [{"transform": "Resize", "enabled": true, "params": {"size": 256, ...}}, ...]}
"""

import base64
import binascii
import inspect
import json
import zlib

from models import lambdas
from models.custom_transform import RandomSaltAndPepper
from models.pipeline import PipelineError, make_step
from models.transform_specs import CATALOGUE, spec

FORMAT = "convlab-transform-pipeline"
VERSION = 1
MAX_STEPS = 32
MAX_SEED = 2**31 - 1


class PipelineFileError(ValueError):
    """A pipeline file or link that cannot be read; the message says why, for the page."""


def to_dict(steps: list[dict], seed: int) -> dict:
    return {"format": FORMAT, "version": VERSION, "seed": int(seed),
            "steps": [{"transform": s["name"], "enabled": s["enabled"],
                       "params": {k: list(v) if isinstance(v, tuple) else v for k, v in s["params"].items()}}
                      for s in steps]}


def to_json(steps: list[dict], seed: int) -> str:
    return json.dumps(to_dict(steps, seed), indent=2)


def from_dict(data, first_id: int = 0) -> tuple[list[dict], int]:
    """(steps with fresh ids s<first_id>, s<first_id+1>, ..., seed) or PipelineFileError saying what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PipelineFileError("This is not a ConvLab pipeline file (it has no "
                                f'"format": "{FORMAT}" entry). Export one from this page to see the layout.')
    if data.get("version") != VERSION:
        raise PipelineFileError(f"This pipeline file has version {data.get('version')!r}; this ConvLab reads "
                                f"version {VERSION}.")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise PipelineFileError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}.")
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
            raise PipelineFileError(f"Step {i}: unknown transform {name!r}. Known transforms: "
                                    f"{', '.join(CATALOGUE)}.")
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise PipelineFileError(f'Step {i} ({name}): "params" must be an object.')
        try:
            steps.append(make_step(name, params, f"s{first_id + i - 1}", bool(item.get("enabled", True))))
        except PipelineError as exc:
            raise PipelineFileError(f"Step {i} ({name}): {exc}.") from exc
    return steps, seed


def from_json(text: str | bytes, first_id: int = 0) -> tuple[list[dict], int]:
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PipelineFileError(f"This file is not valid JSON ({exc}).") from exc
    return from_dict(data, first_id)


def encode_url(steps: list[dict], seed: int) -> str:
    """A short URL-safe string holding the pipeline (only non-default parameters)."""
    compact = {"s": int(seed), "p": [[s["name"], {k: v for k, v in s["params"].items()
                                                 if v != spec(s["name"]).param(k).default},
                                      int(s["enabled"])] for s in steps]}
    raw = zlib.compress(json.dumps(compact, separators=(",", ":")).encode(), 9)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_url(text: str, first_id: int = 0) -> tuple[list[dict], int]:
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), bufsize=65536)
        compact = json.loads(raw)
        data = {"format": FORMAT, "version": VERSION, "seed": compact["s"],
                "steps": [{"transform": n, "params": p, "enabled": bool(e)} for n, p, e in compact["p"]]}
    except (binascii.Error, zlib.error, ValueError, KeyError, TypeError) as exc:
        raise PipelineFileError("The pipeline in this link is damaged (was it cut off when copying?).") from exc
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
    'image = Image.open("cat.jpg").convert("RGB")'.
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
