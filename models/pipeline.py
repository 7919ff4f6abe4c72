"""A transform pipeline as plain data, built into a v2.Compose and run stage by stage.

A pipeline is a list of steps, each a dict {"id": "s3", "name": "RandomRotation", "enabled": True,
"params": {...}} whose name is a key of models.transform_specs.CATALOGUE. A run draws every random choice
from one torch.Generator of its own, seeded with `seed` (models.seeded_transforms), and calls the enabled
steps in order: exactly what `torch.manual_seed(seed); v2.Compose(steps)(image)` gives, so the exported code
reproduces every stage, while runs of different sessions never share (or wait for) a generator.
Before it runs, a pipeline is priced (models.pipeline_cost) and refused if it would pass the per-interaction
budget; a CPU-time budget also stops it between steps.

Each random step's `make_params` (torchvision v2 splits a transform into make_params, which draws the
random choices, and transform, which applies them) is wrapped to record what it actually drew.
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import v2

from models.pipeline_cost import VIEW_SIDE, judge
from models.resource_policy import CpuBudget, ResourceLimitError
from models.sampled_params import describe
from models.seeded_transforms import seeded_generator, use_generator
from models.stage_checks import check_step
from models.stage_view import StageInfo, display_array, stage_info
from models.torch_threads import one_torch_thread
from models.transform_specs import SpecError, spec

PRESETS: dict[str, list[tuple[str, dict]]] = {
    "MNIST training augmentation": [
        ("RandomAffine", {"degrees": 10.0, "translate": 0.1, "scale": (0.9, 1.1), "shear": 0.0}),
        ("Resize", {"size": 28}), ("CenterCrop", {"size": 28}), ("Grayscale", {"num_output_channels": 1}),
        ("ToImage", {}), ("ToDtype", {"dtype": "float32", "scale": True}),
        ("Normalize", {"mean": (0.1307,), "std": (0.3081,)}),
    ],
    "ImageNet evaluation": [
        ("Resize", {"size": 256}), ("CenterCrop", {"size": 224}), ("ToImage", {}),
        ("ToDtype", {"dtype": "float32", "scale": True}), ("Normalize", {}),
    ],
    "ImageNet training": [
        ("RandomResizedCrop", {"size": 224}), ("RandomHorizontalFlip", {"p": 0.5}),
        ("ColorJitter", {"brightness": 0.4, "contrast": 0.4, "saturation": 0.4, "hue": 0.1}),
        ("ToImage", {}), ("ToDtype", {"dtype": "float32", "scale": True}), ("Normalize", {}),
    ],
}


class PipelineError(ValueError):
    """A pipeline description that cannot be used (unknown transform, bad parameter)."""


def make_step(name: str, params: dict | None = None, step_id: str = "s0", enabled: bool = True) -> dict:
    """A validated step dict with every parameter filled in (defaults for the missing ones)."""
    try:
        values = spec(name).validate(dict(params or {}))
    except SpecError as exc:
        raise PipelineError(str(exc)) from exc
    return {"id": step_id, "name": name, "enabled": bool(enabled), "params": values}


def preset_steps(preset: str, first_id: int = 0) -> list[dict]:
    return [make_step(n, p, f"s{first_id + i}") for i, (n, p) in enumerate(PRESETS[preset])]


def build(step: dict):
    """The v2 transform of one step."""
    return spec(step["name"]).build(step["params"])


def compose(steps: list[dict]) -> v2.Compose:
    """v2.Compose of the enabled steps, in order (v2.Identity when none is switched on)."""
    return v2.Compose([build(s) for s in steps if s["enabled"]] or [v2.Identity()])


def to_pil(rgb: np.ndarray) -> Image.Image:
    """(H, W, 3) float in [0, 1] -> PIL RGB image (the pipeline's usual input, as a Dataset would give)."""
    return Image.fromarray(np.clip(np.rint(rgb * 255.0), 0, 255).astype(np.uint8), mode="RGB")


@dataclass
class Stage:
    """The image after one step (step None = the input)."""
    step: dict | None
    info: StageInfo | None
    view: np.ndarray  # (H, W, 3) uint8 for display
    view_note: str = ""
    sampled: str = ""  # what the random step drew, in words
    applied: bool = True
    warnings: list[str] = field(default_factory=list)
    output: Any = None
    params: dict | None = None  # exactly what make_params returned (None if it was not called)


@dataclass
class Problem:
    """A step that could not run, in plain words."""
    index: int  # position in the step list
    step: dict
    message: str
    over_budget: bool = False  # refused or stopped by the per-interaction budget, not impossible here


@dataclass
class RunResult:
    stages: list[Stage]
    problem: Problem | None = None
    norm: tuple | None = None  # (mean, std) in force at the end, for de-normalised viewing

    @property
    def output(self):
        return self.stages[-1].output


def _wh(x) -> tuple[int, int]:
    return (x.width, x.height) if isinstance(x, Image.Image) else (int(x.shape[-1]), int(x.shape[-2]))


def _recorded(transform) -> dict:
    """Wrap transform.make_params so every call's result lands in the returned dict."""
    box: dict = {}
    original = transform.make_params

    def make_params(flat_inputs):
        box["params"] = original(flat_inputs)
        return box["params"]

    transform.make_params = make_params
    return box


_BLANK = np.zeros((1, 1, 3), np.uint8)


def input_shape(image: Image.Image) -> tuple[int, int, int]:
    """(C, H, W) of the pipeline's input image."""
    return len(image.getbands()), image.height, image.width


def _view(x, norm) -> tuple[np.ndarray, str]:
    """display_array, kept at most VIEW_SIDE long (the page shows thumbnails; a run keeps every stage)."""
    view, note = display_array(x, norm)
    if max(view.shape[:2]) > VIEW_SIDE:
        small = Image.fromarray(view)
        small.thumbnail((VIEW_SIDE, VIEW_SIDE), Image.Resampling.BILINEAR)
        view = np.asarray(small)
    return view, note


def run_stages(steps: list[dict], image: Image.Image, seed: int, keep_views: bool = True,
               budget: CpuBudget | None = None) -> RunResult:
    """Price the run, then run the enabled steps one by one from one generator seeded with `seed`, and
    describe every stage; stop at the first problem (a step that cannot run, or the budget spent).

    keep_views=False (the random grid) skips the per-stage views and statistics (info is None).
    budget: the interaction's CPU-time budget (a fresh one of MAX_CPU_SECONDS if None).
    """
    one_torch_thread()
    stages = [Stage(None, stage_info(image) if keep_views else None,
                    *(_view(image, None) if keep_views else (_BLANK, "")), output=image)]
    verdict = judge(steps, input_shape(image))
    if not verdict.ok:
        return RunResult(stages, Problem(verdict.index, steps[verdict.index], verdict.message, True))
    budget = budget or CpuBudget()
    generator = seeded_generator(seed)
    norm = None  # (mean, std) of the last Normalize, to de-normalise later stages for viewing
    x = image
    for index, step in enumerate(steps):
        if not step["enabled"]:
            continue
        try:
            budget.tick("This pipeline")
        except ResourceLimitError as exc:
            return RunResult(stages, Problem(index, step, str(exc), True), norm)
        error, warnings = check_step(step, x)
        if error:
            return RunResult(stages, Problem(index, step, error), norm)
        transform = build(step)
        use_generator(transform, generator)
        box = _recorded(transform)
        try:
            x = transform(x)
        except Exception as exc:  # noqa: BLE001 - any torchvision failure becomes a message at its step
            return RunResult(stages, Problem(index, step, f"This step failed: {exc}"), norm)
        if step["name"] == "Normalize":
            norm = (step["params"]["mean"], step["params"]["std"])
        elif not (isinstance(x, torch.Tensor) and x.dtype.is_floating_point):
            norm = None
        applied = "params" in box or not spec(step["name"]).random or step["name"].startswith("Lambda")
        sampled = describe(step["name"], box.get("params"), applied, _wh(x)) if spec(step["name"]).random else ""
        view, note = _view(x, norm) if keep_views else (_BLANK, "")
        info = stage_info(x) if keep_views else None
        stages.append(Stage(step, info, view, note, sampled, applied, warnings, x, box.get("params")))
    return RunResult(stages, None, norm)


@dataclass
class Outcome:
    seed: int
    view: np.ndarray | None
    sampled: list[tuple[str, str]]  # (step name, what it drew) for every random step
    problem: str = ""


def sample_outcomes(steps: list[dict], image: Image.Image, seed: int, n: int) -> list[Outcome]:
    """n runs of the whole pipeline with seeds seed, seed+1, ..., each with the parameters it drew.

    Raises ResourceLimitError (plain words) when the n runs would pass, or do pass, the interaction's budget."""
    verdict = judge(steps, input_shape(image), runs=n, what=f"This grid of {n} outcomes")
    if not verdict.ok:
        raise ResourceLimitError(verdict.message)
    budget = CpuBudget()
    outcomes = []
    for k in range(n):
        result = run_stages(steps, image, seed + k, keep_views=False, budget=budget)
        if result.problem and result.problem.over_budget:
            raise ResourceLimitError(result.problem.message)
        last = result.stages[-1]
        view = None if result.problem else _view(last.output, result.norm)[0]
        drawn = [(s.step["name"], s.sampled) for s in result.stages[1:] if s.sampled]
        outcomes.append(Outcome(seed + k, view, drawn, result.problem.message if result.problem else ""))
    return outcomes


def viewing_norm(steps: list[dict]) -> tuple | None:
    """(mean, std) of a Normalize still in force at the end of the pipeline, else None (for viewing batches)."""
    for s in reversed([s for s in steps if s["enabled"]]):
        if s["name"] == "Normalize":
            return s["params"]["mean"], s["params"]["std"]
        if s["name"] in ("ToPILImage", "ToDtype"):
            return None
    return None


def move_step(steps: list[dict], step_id: str, delta: int) -> None:
    """Move a step up (delta -1) or down (+1) in place; no-op at the ends."""
    i = next(k for k, s in enumerate(steps) if s["id"] == step_id)
    j = i + delta
    if 0 <= j < len(steps):
        steps[i], steps[j] = steps[j], steps[i]


def remove_step(steps: list[dict], step_id: str) -> None:
    steps[:] = [s for s in steps if s["id"] != step_id]
