"""What running a transform pipeline will cost, estimated from the input size before anything runs.

Each enabled step's output size is predicted from its parameters (Resize sets the shorter side, crops set
size x size, Pad adds a border, ...), and its time from the work per output pixel. Blurs dominate: a
Gaussian blur of kernel k costs k*k multiply-adds per pixel and channel, and ElasticTransform blurs two
random fields with k = 8 sigma + 1 (sigma 20 on a 512x512 image: about 4 s on one core). The rates were
measured single-threaded on the class laptop; tests/test_pipeline_cost.py checks them against timings.
"""

import math
from dataclasses import dataclass

from models.resource_policy import ASSUMED_FLOPS_PER_SECOND, MAX_CPU_SECONDS, MAX_EXTRA_BYTES, Cost, mib

SECONDS_PER_MAC = 3.2e-10  # blur (conv2d) multiply-add, one thread, with margin
PIXEL_WORK = {"Resize": 40, "RandomResizedCrop": 40, "RandomRotation": 40, "RandomAffine": 40,
              "RandomPerspective": 60, "ElasticTransform": 60, "ColorJitter": 60}  # MACs per output value
DEFAULT_WORK = 8  # copies, conversions, element-wise lambdas
VIEW_SIDE = 640  # stage pictures are kept at most this long (models.pipeline)


@dataclass(frozen=True)
class StepCost:
    index: int  # position in the step list
    name: str
    shape: tuple[int, int, int]  # predicted output (C, H, W)
    cost: Cost


def _out_shape(name: str, p: dict, c: int, h: int, w: int) -> tuple[int, int, int]:
    if name == "Resize":
        short = p["size"]
        return (c, short, max(1, round(w * short / h))) if h <= w else (c, max(1, round(h * short / w)), short)
    if name in ("CenterCrop", "RandomCrop", "RandomResizedCrop"):
        return c, p["size"], p["size"]
    if name == "Pad":
        return c, h + 2 * p["padding"], w + 2 * p["padding"]
    if name == "RandomRotation" and p["expand"]:
        side = math.ceil(math.hypot(h, w))
        return c, side, side
    if name == "Grayscale":
        return int(p["num_output_channels"]), h, w
    return c, h, w


def _macs(name: str, p: dict, c: int, h: int, w: int) -> float:
    """Multiply-adds of one step producing a (c, h, w) output."""
    n = c * h * w
    if name == "GaussianBlur":
        return n * p["kernel_size"] ** 2
    if name == "ElasticTransform":
        k = int(8 * p["sigma"] + 1) | 1
        return 2 * h * w * k * k + n * PIXEL_WORK[name]
    return n * PIXEL_WORK.get(name, DEFAULT_WORK)


def step_costs(steps: list[dict], shape: tuple[int, int, int]) -> list[StepCost]:
    """Predicted output shape and cost of every enabled step, for an input of shape (C, H, W).

    Memory counts what a run keeps (every stage as float32, plus its picture) and the step's temporaries."""
    c, h, w = shape
    out = []
    for index, step in enumerate(steps):
        if not step["enabled"]:
            continue
        name, p = step["name"], step["params"]
        c, h, w = _out_shape(name, p, c, h, w)
        kept = 4 * c * h * w + 3 * min(h, VIEW_SIDE) * min(w, VIEW_SIDE)
        temporaries = (6 if name == "ElasticTransform" else 2) * 4 * max(c, 2) * h * w
        seconds = _macs(name, p, c, h, w) * SECONDS_PER_MAC
        out.append(StepCost(index, name, (c, h, w),
                            Cost(kept + temporaries, seconds * ASSUMED_FLOPS_PER_SECOND, f"step {index + 1} ({name})")))
    return out


@dataclass(frozen=True)
class Verdict:
    """Why a run is refused (plain words) and the step to blame, or ok."""
    message: str = ""
    index: int | None = None

    @property
    def ok(self) -> bool:
        return not self.message


def judge(steps: list[dict], shape: tuple[int, int, int], runs: int = 1, what: str = "This pipeline") -> Verdict:
    """Refuse, before anything runs, a pipeline whose `runs` runs would pass the per-interaction budget."""
    costs = step_costs(steps, shape)
    if not costs:
        return Verdict()
    seconds = runs * sum(s.cost.seconds for s in costs)
    kept = sum(s.cost.bytes for s in costs)
    worst = max(costs, key=lambda s: s.cost.seconds)
    times = f"{runs} runs × " if runs > 1 else ""
    if seconds > MAX_CPU_SECONDS:
        return Verdict(f"{what} would take about {seconds:,.0f} s of computing on this image ({times}"
                       f"{worst.cost.what}: about {worst.cost.seconds:.1f} s each); the limit per interaction on "
                       f"this shared server is {MAX_CPU_SECONDS:g} s. Make it lighter: a smaller sigma or kernel, "
                       f"fewer heavy steps{', fewer outcomes' if runs > 1 else ''}, or Resize to a smaller image "
                       "first.", worst.index)
    if kept > MAX_EXTRA_BYTES:
        biggest = max(costs, key=lambda s: s.cost.bytes)
        return Verdict(f"{what} would need about {mib(kept)} of memory (largest: {biggest.cost.what}, output "
                       f"{biggest.shape}); the limit per interaction on this shared server is "
                       f"{mib(MAX_EXTRA_BYTES)}. Use smaller sizes or fewer steps.", biggest.index)
    return Verdict()
