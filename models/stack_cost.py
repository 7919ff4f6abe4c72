"""What running a designed layer stack costs, checked with models.resource_policy before it runs.

The layer limits in models.architecture cap parameters, not activations: four 1x1 convolutions with 1024
maps and padding 64 are small in parameters but make multi-gigabyte feature maps. So every forward pass
(the torchinfo check) and every training run is estimated row by row first, and refused with a message
naming the first row that makes it too big.

Memory model (float32, 4 bytes a number), per sample unless multiplied by a batch:
- forward without gradients (torchinfo, held-out evaluation): the parameters plus, at the worst row,
  its input, its padded copy, the unfolded windows of a k>1 convolution (im2col) and its output;
- a training step: parameters x 4 (weights, gradients, two optimizer states) plus, for the batch, every
  row's output kept for the backward pass, once more for the gradients flowing back (forward + backward),
  max-pool indices (8 bytes each) and the worst row's forward workspace.
FLOPs: conv 2·C_in·k²·C_out·H_out·W_out, linear 2·in·out, pool k²·outputs, ReLU one per number;
a training step is 3x a forward pass (the backward pass is about twice the forward).
tests/test_stack_cost.py checks these numbers against torch's own tensor sizes and a measured peak.
"""

from dataclasses import dataclass

from models.architecture import Row
from models.resource_policy import MAX_TRAINING_SECONDS, Cost, check

FLOAT = 4
INDEX = 8  # max-pool keeps an int64 index per output for the backward pass
EVAL_CHUNK = 250  # held-out digits are evaluated in chunks of this many
HELDOUT = 1000


@dataclass(frozen=True)
class RowCost:
    """One row's numbers per sample: output floats, forward workspace floats, FLOPs; its parameters."""
    index: int
    label: str
    out: int
    workspace: int
    flops: float
    params: int
    indices: int = 0


def _numel(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def row_costs(rows: list[Row], input_shape: tuple[int, int, int]) -> list[RowCost]:
    """Per-row costs for rows that work (stops at the first flagged row)."""
    out, before = [], tuple(input_shape)
    for r in rows:
        if not r.ok:
            break
        n_in, n_out, layer = _numel(before), _numel(r.shape), r.layer
        workspace, flops, indices = n_in + n_out, float(n_out), 0
        if layer.kind == "conv":
            c, h, w = before
            pad = layer.padding or 0
            padded = c * (h + 2 * pad) * (w + 2 * pad) if pad else 0
            unfold = c * layer.k * layer.k * r.shape[1] * r.shape[2] if layer.k > 1 else 0
            workspace += padded + unfold
            flops = 2.0 * c * layer.k * layer.k * n_out
        elif layer.kind == "linear":
            flops = 2.0 * n_in * n_out
        elif layer.kind in ("maxpool", "avgpool"):
            flops = float(layer.k * layer.k * n_out)
            indices = n_out if layer.kind == "maxpool" else 0
        out.append(RowCost(r.index, r.label, n_out, workspace, flops, r.params, indices))
        before = r.shape
    return out


def forward_cost(costs: list[RowCost], input_shape: tuple[int, ...], batch: int = 1, what: str = "this") -> Cost:
    """Peak memory and FLOPs of one forward pass without gradients through `costs` for `batch` samples."""
    params = sum(c.params for c in costs)
    peak = max((c.workspace for c in costs), default=_numel(input_shape))
    return Cost(FLOAT * (params + batch * peak), batch * sum(c.flops for c in costs), what)


def training_step_cost(costs: list[RowCost], input_shape: tuple[int, ...], batch: int, what: str = "this") -> Cost:
    """Peak memory and FLOPs of one training step (forward + backward + update) on `batch` samples."""
    params = sum(c.params for c in costs)
    kept = _numel(input_shape) + sum(c.out for c in costs)
    workspace = max((c.workspace for c in costs), default=0)
    per_sample = FLOAT * (2 * kept + workspace) + INDEX * sum(c.indices for c in costs)
    return Cost(FLOAT * 4 * params + batch * per_sample, 3 * batch * sum(c.flops for c in costs), what)


def check_forward(rows: list[Row], input_shape: tuple[int, int, int], doing: str = "The torchinfo check") -> Cost:
    """The cost of one forward pass of one sample; ResourceLimitError names the first row that is too big."""
    costs = row_costs(rows, input_shape)
    for i in range(1, len(costs) + 1):
        c = costs[i - 1]
        check(forward_cost(costs[:i], input_shape, 1, f"{doing} up to row {c.index} ({c.label})"))
    return forward_cost(costs, input_shape, 1, doing)


def check_training(rows: list[Row], input_shape: tuple[int, int, int], batch: int, iterations: int,
                   evaluations: int) -> Cost:
    """The cost of a whole training run: the peak of a step or a held-out chunk, and all its FLOPs.

    Memory is checked against the per-interaction limit; the time against MAX_TRAINING_SECONDS (a run
    holds one of the server's few training slots). The message names the row that makes it too big.
    """
    costs = row_costs(rows, input_shape)
    cost = Cost(0, 0.0)
    for i in range(1, len(costs) + 1):
        c = costs[i - 1]
        what = f"Training up to row {c.index} ({c.label}) at batch size {batch}"
        step = training_step_cost(costs[:i], input_shape, batch, what)
        chunk = forward_cost(costs[:i], input_shape, EVAL_CHUNK, what)
        flops = step.flops * iterations + chunk.flops * (HELDOUT / EVAL_CHUNK) * evaluations
        cost = check(Cost(max(step.bytes, chunk.bytes), flops, what), max_seconds=MAX_TRAINING_SECONDS,
                     per="per training run")
    return cost
