"""models.architecture: shapes, parameters and receptive fields vs torch and by hand; export; bad stacks."""

import pytest
import torch
from torch import nn

from models import architecture as A

DIGIT = A.PRESETS[A.DEFAULT_PRESET]
LENET = A.PRESETS["LeNet-5 (LeCun 1998, ReLU version)"]
DEEP = A.PRESETS["Deeper VGG-style CNN"]
MNIST, PHOTO = (1, 28, 28), (3, 64, 64)

# Hand computations: out = floor((n + 2p - k) / s) + 1; conv params = out * (in * k * k + 1);
# rf_out = rf_in + (k - 1) * jump_in, jump_out = jump_in * s.
DIGIT_BY_HAND = [  # (shape, params, rf, jump)
    ((10, 26, 26), 10 * (1 * 9 + 1), 3, 1), ((10, 26, 26), 0, 3, 1), ((10, 13, 13), 0, 4, 2),
    ((20, 11, 11), 20 * (10 * 9 + 1), 8, 2), ((20, 11, 11), 0, 8, 2), ((20, 5, 5), 0, 10, 4),
    ((500,), 0, 10, None), ((50,), 50 * 501, None, None), ((50,), 0, None, None), ((10,), 10 * 51, None, None),
]
LENET_BY_HAND = [
    ((6, 28, 28), 6 * 26, 5, 1), ((6, 28, 28), 0, 5, 1), ((6, 14, 14), 0, 6, 2),
    ((16, 10, 10), 16 * (6 * 25 + 1), 14, 2), ((16, 10, 10), 0, 14, 2), ((16, 5, 5), 0, 16, 4),
    ((400,), 0, 16, None), ((120,), 120 * 401, None, None), ((120,), 0, None, None),
    ((84,), 84 * 121, None, None), ((84,), 0, None, None), ((10,), 10 * 85, None, None),
]


@pytest.mark.parametrize("spec, expected, total", [(DIGIT, DIGIT_BY_HAND, 27480), (LENET, LENET_BY_HAND, 61706)],
                         ids=["digit", "lenet5"])
def test_rows_match_hand_computation(spec, expected, total):
    rows = A.propagate(spec, MNIST)
    assert [(r.shape, r.params, r.rf, r.jump) for r in rows] == expected
    assert A.total_params(rows) == total
    assert all(r.ok for r in rows) and A.stack_problems(rows) == []


def _torch_shapes_and_params(model: nn.Sequential, input_shape):
    shapes, x = [], torch.zeros(1, *input_shape)
    for module in model:
        x = module(x)
        shapes.append(tuple(x.shape[1:]))
    return shapes, [sum(p.numel() for p in m.parameters()) for m in model]


@pytest.mark.parametrize("spec", [DIGIT, LENET, DEEP], ids=["digit", "lenet5", "deeper"])
@pytest.mark.parametrize("input_shape", [MNIST, PHOTO], ids=["28x28x1", "64x64x3"])
def test_rows_match_torch(spec, input_shape):
    rows = A.propagate(spec, input_shape)
    shapes, params = _torch_shapes_and_params(A.to_sequential(spec, input_shape), input_shape)
    assert [r.shape for r in rows] == shapes
    assert [r.params for r in rows] == params


def test_digit_preset_is_the_shipped_mnist_cnn():
    from models.mnist_cnn import LAYER_SHAPES, MnistCNN, parameter_count

    rows = A.propagate(DIGIT, MNIST)
    assert A.total_params(rows) == parameter_count(MnistCNN())
    assert rows[2].shape == LAYER_SHAPES["pool1"] and rows[5].shape == LAYER_SHAPES["pool2"]
    assert A.is_digit_cnn(DIGIT) and not A.is_digit_cnn(LENET)


def _empirical_rf(spec, input_shape):
    """Receptive field of the centre unit after the last window layer, measured by backprop.

    Max pools become average pools (same window geometry) and conv weights are all ones,
    so every input pixel inside the field gets a non-zero gradient.
    """
    layers, c_in = [], input_shape[0]
    for layer in (A.normalise(x) for x in spec):
        if layer.kind == "flatten":
            break
        if layer.kind == "conv":
            conv = nn.Conv2d(c_in, layer.out, layer.k, layer.stride, layer.padding)
            nn.init.ones_(conv.weight)
            nn.init.zeros_(conv.bias)
            layers.append(conv)
            c_in = layer.out
        elif layer.kind in ("maxpool", "avgpool"):
            layers.append(nn.AvgPool2d(layer.k, layer.stride))
    x = torch.ones(1, *input_shape, requires_grad=True)
    y = nn.Sequential(*layers)(x)
    c = y.shape[-1] // 2
    y[0, 0, c, c].backward()
    cols = (x.grad[0].abs().sum(0).sum(0) > 0).nonzero().flatten()
    return int(cols.max() - cols.min() + 1)


@pytest.mark.parametrize("spec", [DIGIT, LENET, DEEP], ids=["digit", "lenet5", "deeper"])
def test_receptive_field_matches_backprop(spec):
    rows = A.propagate(spec, PHOTO)
    last_window = [r for r in rows if r.layer.kind in ("conv", "maxpool", "avgpool")][-1]
    assert last_window.rf == _empirical_rf(spec, PHOTO)


@pytest.mark.parametrize("spec", [DIGIT, LENET, DEEP], ids=["digit", "lenet5", "deeper"])
def test_exported_code_builds_the_same_model(spec):
    code = A.to_code(spec, MNIST)
    namespace: dict = {}
    exec(compile(code.replace("print(", "_ = ("), "<exported>", "exec"), namespace)  # noqa: S102 - our own code
    built, reference = namespace["model"], A.to_sequential(spec, MNIST)
    assert repr(built) == repr(reference)
    assert tuple(built(torch.zeros(2, *MNIST)).shape) == (2, 10)
    shapes, params = _torch_shapes_and_params(built, MNIST)
    rows = A.propagate(spec, MNIST)
    assert shapes == [r.shape for r in rows] and params == [r.params for r in rows]


@pytest.mark.parametrize("spec", [DIGIT, LENET, DEEP], ids=["digit", "lenet5", "deeper"])
def test_torchinfo_summary_matches_table(spec):
    rows = A.propagate(spec, PHOTO)
    info_rows, total, text = A.torchinfo_rows(spec, PHOTO)
    assert info_rows == [(r.shape, r.params) for r in rows]
    assert total == A.total_params(rows)
    assert f"Total params: {total:,}" in text


@pytest.mark.parametrize("spec, row, words", [
    ([A.conv(8, 5), A.pool("maxpool", 2), A.conv(8, 5), A.pool("maxpool", 2), A.conv(8, 5)], 5, "does not fit"),
    ([A.conv(8, 3), A.linear(10)], 2, "Add a Flatten layer"),
    ([A.FLATTEN, A.conv(4, 3)], 2, "Move it above the Flatten"),
    ([A.conv(0, 3)], 1, "at least 1"),
    ([A.conv(4, 3, stride=-1)], 1, "stride must be at least 1"),
    ([A.Layer("conv", 4, None)], 1, "Fill in the kernel size"),
    ([A.RELU, A.Layer("banana")], 2, "Choose a layer type"),
    ([A.conv(4, 3, padding=-2)], 1, "padding must be at least 0"),
    ([A.FLATTEN, A.linear(50_000), A.linear(1000)], 3, "parameters"),
], ids=["too-small", "linear-before-flatten", "conv-after-flatten", "zero-channels", "negative-stride",
        "missing-k", "unknown-kind", "negative-padding", "too-big"])
def test_invalid_rows_are_flagged_not_raised(spec, row, words):
    rows = A.propagate(spec, MNIST)
    bad = [r for r in rows if r.problem and not r.problem.startswith("Waiting")]
    assert [r.index for r in bad] == [row]
    assert words in bad[0].problem
    assert A.stack_problems(rows)[0].startswith(f"Row {row}:")
    assert A.trainable_reason(rows, MNIST) is not None
    with pytest.raises(A.ArchitectureError, match=f"Row {row}"):
        A.to_sequential(spec, MNIST)
    with pytest.raises(A.ArchitectureError):
        A.to_code(spec, MNIST)


def test_rows_after_a_broken_row_wait_and_empty_stack_is_flagged():
    rows = A.propagate([A.linear(10), A.RELU, A.conv(3, 3)], MNIST)
    assert rows[0].problem and rows[1].problem.startswith("Waiting") and rows[2].shape is None
    assert A.stack_problems(A.propagate([], MNIST)) == ["The stack is empty: add at least one layer."]


def test_trainable_reason():
    assert A.trainable_reason(A.propagate(LENET, MNIST), MNIST) is None
    assert "28x28x1" in A.trainable_reason(A.propagate(LENET, PHOTO), PHOTO)
    short = DIGIT[:-1]
    assert "10 outputs" in A.trainable_reason(A.propagate(short, MNIST), MNIST)


def test_pool_stride_defaults_to_kernel_size():
    rows = A.propagate([A.Layer("maxpool", k=2)], MNIST)
    assert rows[0].shape == (1, 14, 14) and rows[0].jump == 2


def test_describe_shows_missing_numbers_as_question_marks():
    assert A.describe(A.Layer("maxpool")) == "Max pool ?x?, stride ?"
    assert A.describe(A.Layer("conv", 8, 3)) == "Conv 3x3, 8 maps, stride ?, pad ?"
    assert A.describe(A.conv(10, 3)) == "Conv 3x3, 10 maps, stride 1, pad 0"
