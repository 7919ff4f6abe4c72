"""models.stack_cost: the estimate a designed stack is checked with, against hand sums and measured memory."""

import json
import subprocess
import sys

import pytest

from models import architecture as arch
from models import stack_cost
from models.resource_policy import MAX_EXTRA_BYTES, ResourceLimitError
from testkit.server import ROOT

DIGIT = arch.PRESETS[arch.DEFAULT_PRESET]
MNIST = (1, 28, 28)
HOSTILE = [arch.conv(1024, 1, 1, 64)] * 4  # issue: torchinfo took 57 s and +2.9 GB


def test_row_costs_by_hand_for_the_digit_cnn():
    costs = stack_cost.row_costs(arch.propagate(DIGIT, MNIST), MNIST)
    conv1, pool1, conv2, fc1 = costs[0], costs[2], costs[3], costs[7]
    assert conv1.out == 10 * 26 * 26 and conv1.flops == 2 * 1 * 9 * 10 * 26 * 26
    assert conv1.workspace == 28 * 28 + 10 * 26 * 26 + 9 * 26 * 26  # input + output + unfolded windows
    assert pool1.indices == 10 * 13 * 13 and pool1.flops == 4 * 10 * 13 * 13
    assert conv2.flops == 2 * 10 * 9 * 20 * 11 * 11 and fc1.flops == 2 * 500 * 50
    assert sum(c.params for c in costs) == 27_480


def test_training_step_cost_by_hand():
    rows = arch.propagate([arch.conv(4, 3, 1, 1), arch.RELU, arch.FLATTEN, arch.linear(10)], MNIST)
    costs = stack_cost.row_costs(rows, MNIST)
    kept = 784 + 4 * 784 * 3 + 10  # input, conv, relu, flatten, linear outputs
    workspace = 784 + 30 * 30 + 9 * 784 + 4 * 784  # conv row: input, padded input, unfold, output
    params = 4 * 10 + 10 * 3137
    cost = stack_cost.training_step_cost(costs, MNIST, batch=8)
    assert cost.bytes == 4 * 4 * params + 8 * 4 * (2 * kept + workspace)
    assert cost.flops == 3 * 8 * sum(c.flops for c in costs)


def test_hostile_torchinfo_stack_is_refused_naming_row_2():
    """Four rows of Conv(out 1024, k 1, pad 64) pass the layer limits but not the memory estimate."""
    rows = arch.propagate(HOSTILE, MNIST)
    assert not arch.stack_problems(rows)
    with pytest.raises(ResourceLimitError, match=r"^The torchinfo check up to row 2 \(Conv 1x1, 1024 maps"):
        stack_cost.check_forward(rows, MNIST)


def test_wide_stack_at_batch_512_is_refused_for_training():
    """256 channels at batch 512 took +1.5 GB."""
    rows = arch.propagate([arch.conv(256, 3, 1, 1), arch.RELU, arch.FLATTEN, arch.linear(10)], MNIST)
    with pytest.raises(ResourceLimitError, match=r"Training up to row 1 .* at batch size 512 would need about"):
        stack_cost.check_training(rows, MNIST, batch=512, iterations=20, evaluations=3)
    stack_cost.check_training(rows, MNIST, batch=16, iterations=20, evaluations=3)  # a small batch fits


def test_presets_fit_and_long_runs_are_refused():
    for spec in arch.PRESETS.values():
        for shape in arch.INPUTS.values():
            assert stack_cost.check_forward(arch.propagate(spec, shape), shape).bytes < MAX_EXTRA_BYTES
    rows = arch.propagate(DIGIT, MNIST)
    stack_cost.check_training(rows, MNIST, batch=64, iterations=20 * 157, evaluations=100)  # 20 epochs of 10k
    with pytest.raises(ResourceLimitError, match="s of computing; the limit per training run"):
        stack_cost.check_training(rows, MNIST, batch=64, iterations=50 * 938, evaluations=100)  # 50 of full MNIST


_MEASURE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])


def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])



import torch
from models import architecture as arch
torch.set_num_threads(1)
spec, shape, batch = eval(sys.argv[2]), tuple(json.loads(sys.argv[3])), int(sys.argv[4])
model = arch.to_sequential(spec, shape)
x = torch.randn(batch, *shape)
if batch == 1:
    arch.torchinfo_rows([arch.conv(2, 1)], shape)  # torchinfo's own imports, before the baseline
# Reset the peak (VmHWM) to the current size: torch's import can leave a higher, load-dependent peak.
open("/proc/self/clear_refs", "w").write("5")
before = status_kb("VmRSS")
if batch == 1:
    arch.torchinfo_rows(spec, shape)
else:
    opt = torch.optim.Adam(model.parameters())
    model(x).sum().backward()
    opt.step()
print(json.dumps((status_kb("VmHWM") - before) * 1024))
"""


def _measured_peak(spec: list, shape: tuple, batch: int) -> int:
    """Peak extra resident memory (bytes) of torchinfo (batch 1) or a training step, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(ROOT), repr(spec).replace("Layer(", "arch.Layer("),
                          json.dumps(shape), str(batch)], capture_output=True, text=True, timeout=900, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_torchinfo_estimate_is_within_a_factor_of_measured_memory():
    spec = [arch.conv(384, 1, 1, 40)] * 3  # the hostile pattern, scaled to ~300 MB
    estimate = stack_cost.forward_cost(stack_cost.row_costs(arch.propagate(spec, MNIST), MNIST), MNIST).bytes
    measured = _measured_peak(spec, MNIST, 1)
    print(f"torchinfo: estimate {estimate / 2**20:.0f} MB, measured peak {measured / 2**20:.0f} MB")
    assert measured / 2.5 <= estimate <= measured * 2.5, (estimate, measured)


@pytest.mark.slow
def test_training_step_estimate_is_within_a_factor_of_measured_memory():
    spec = [arch.conv(64, 3, 1, 1), arch.RELU, arch.pool("maxpool", 2), arch.FLATTEN, arch.linear(10)]
    rows = arch.propagate(spec, MNIST)
    estimate = stack_cost.training_step_cost(stack_cost.row_costs(rows, MNIST), MNIST, batch=256).bytes
    measured = _measured_peak(spec, MNIST, 256)
    print(f"training step: estimate {estimate / 2**20:.0f} MB, measured peak {measured / 2**20:.0f} MB")
    assert measured / 2.5 <= estimate <= measured * 2.5, (estimate, measured)
