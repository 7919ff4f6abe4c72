"""A CNN layer stack as plain data: shapes, parameters, receptive fields, and nn.Sequential export.

A spec is a list of `Layer`s. `propagate(spec, input_shape)` walks it from an input shaped
(C, H, W) and returns one `Row` per layer with the output shape (C, H, W) or (F,), the parameter
count, the receptive field and jump (in input pixels), and a plain-words `problem` when the row
cannot work. It never raises for a bad stack; `to_sequential` / `to_code` do (ArchitectureError).
"""

from dataclasses import dataclass, replace

from models.geometry import WindowLayer, output_size, receptive_fields

KINDS = ("conv", "relu", "maxpool", "avgpool", "flatten", "linear")
KIND_NAMES = {"conv": "Convolution", "relu": "ReLU", "maxpool": "Max pool", "avgpool": "Average pool",
              "flatten": "Flatten", "linear": "Linear (fully connected)"}
INPUTS = {"28x28x1 (MNIST digit)": (1, 28, 28), "64x64x3 (small colour photo)": (3, 64, 64)}
MAX_CHANNELS = 1024
MAX_KERNEL = 64
MAX_FEATURES = 100_000
MAX_PARAMS = 50_000_000
MAX_LAYERS = 64  # rows in a stack (the editor's "+ Add layer" stops here too)


class ArchitectureError(ValueError):
    """The stack cannot be built; the message says which row and why."""


@dataclass(frozen=True)
class Layer:
    """One row of the stack. `out` is used by conv/linear, `k`/`stride` by conv/pool, `padding` by conv."""
    kind: str
    out: int | None = None
    k: int | None = None
    stride: int | None = None
    padding: int | None = None


def conv(out: int, k: int, stride: int = 1, padding: int = 0) -> Layer:
    return Layer("conv", out, k, stride, padding)


def pool(kind: str, k: int = 2, stride: int | None = None) -> Layer:
    return Layer(kind, None, k, k if stride is None else stride, None)


RELU, FLATTEN = Layer("relu"), Layer("flatten")


def linear(out: int) -> Layer:
    return Layer("linear", out)


PRESETS: dict[str, list[Layer]] = {
    "Digit CNN (the Draw-a-digit model)": [
        conv(10, 3), RELU, pool("maxpool", 2), conv(20, 3), RELU, pool("maxpool", 2),
        FLATTEN, linear(50), RELU, linear(10)],
    "LeNet-5 (LeCun 1998, ReLU version)": [
        conv(6, 5, 1, 2), RELU, pool("avgpool", 2), conv(16, 5), RELU, pool("avgpool", 2),
        FLATTEN, linear(120), RELU, linear(84), RELU, linear(10)],
    "Deeper VGG-style CNN": [
        conv(16, 3, 1, 1), RELU, conv(16, 3, 1, 1), RELU, pool("maxpool", 2),
        conv(32, 3, 1, 1), RELU, conv(32, 3, 1, 1), RELU, pool("maxpool", 2),
        conv(64, 3, 1, 1), RELU, pool("maxpool", 2), FLATTEN, linear(64), RELU, linear(10)],
}
DEFAULT_PRESET = next(iter(PRESETS))


@dataclass(frozen=True)
class Row:
    index: int  # 1-based row number as shown in the editor
    layer: Layer
    label: str  # e.g. "Conv 3x3, 10 maps, stride 1, pad 0"
    shape: tuple[int, ...] | None  # (C, H, W) or (F,); None when unknown
    params: int
    rf: int | None  # receptive field in input pixels (one side); None for "the whole input"
    jump: int | None  # input pixels between neighbouring outputs; None after flatten
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.shape is not None


def describe(layer: Layer) -> str:
    """The row in words, e.g. "Conv 3x3, 10 maps, stride 1, pad 0"; a missing number shows as "?"."""
    out, k, stride, pad = ("?" if v is None else v for v in (layer.out, layer.k, layer.stride, layer.padding))
    if layer.kind == "conv":
        return f"Conv {k}x{k}, {out} maps, stride {stride}, pad {pad}"
    if layer.kind in ("maxpool", "avgpool"):
        return f"{KIND_NAMES[layer.kind]} {k}x{k}, stride {stride}"
    if layer.kind == "linear":
        return f"Linear → {out}"
    return KIND_NAMES.get(layer.kind, str(layer.kind))


def shape_text(shape: tuple[int, ...] | None) -> str:
    if shape is None:
        return "?"
    return f"{shape[0]} × {shape[1]} × {shape[2]}" if len(shape) == 3 else f"{shape[0]}"


def _missing(layer: Layer) -> str | None:
    """Fill-in problems: missing or out-of-range numbers, in plain words."""
    if layer.kind not in KINDS:
        return "Choose a layer type (conv, relu, maxpool, avgpool, flatten or linear)."
    checks = []
    if layer.kind in ("conv", "linear"):
        limit = MAX_CHANNELS if layer.kind == "conv" else MAX_FEATURES
        what = "output channels (feature maps)" if layer.kind == "conv" else "outputs"
        checks.append((layer.out, what, 1, limit))
    if layer.kind in ("conv", "maxpool", "avgpool"):
        checks += [(layer.k, "kernel size k", 1, MAX_KERNEL), (layer.stride, "stride", 1, MAX_KERNEL)]
    if layer.kind == "conv":
        checks.append((layer.padding, "padding", 0, MAX_KERNEL))
    for value, what, low, high in checks:
        if value is None:
            return f"Fill in the {what}."
        if value < low:
            return f"The {what} must be at least {low}, not {value}."
        if value > high:
            return f"The {what} is limited to {high} here (got {value})."
    return None


def normalise(layer: Layer) -> Layer:
    """Fill the defaults a person leaves blank: stride = k for pooling, 1 for conv; padding 0."""
    if layer.kind in ("maxpool", "avgpool") and layer.stride is None and layer.k is not None:
        return replace(layer, stride=layer.k)
    if layer.kind == "conv":
        return replace(layer, stride=1 if layer.stride is None else layer.stride,
                       padding=0 if layer.padding is None else layer.padding)
    return layer


def _step(layer: Layer, shape: tuple[int, ...]) -> tuple[tuple[int, ...] | None, int, str | None]:
    """(output shape, parameter count, problem) for one valid-looking layer on `shape`."""
    if layer.kind in ("conv", "maxpool", "avgpool"):
        if len(shape) != 3:
            return None, 0, (f"A {KIND_NAMES[layer.kind].lower()} layer needs an image (channels × height × "
                             f"width), but the input here is a flat vector of {shape[0]} numbers. "
                             "Move it above the Flatten layer.")
        c, h, w = shape
        pad = layer.padding or 0
        oh, ow = output_size(h, layer.k, pad, layer.stride), output_size(w, layer.k, pad, layer.stride)
        if oh <= 0 or ow <= 0:
            return None, 0, (f"The {layer.k}x{layer.k} window does not fit in the {h}x{w} input"
                             f"{f' padded by {pad}' if pad else ''}: the output would be {oh}x{ow} pixels. "
                             "Use a smaller kernel, add padding, or remove a pooling layer above.")
        if layer.kind == "conv":
            return (layer.out, oh, ow), layer.out * (c * layer.k * layer.k + 1), None
        return (c, oh, ow), 0, None
    if layer.kind == "flatten":
        return (shape[0] * shape[1] * shape[2],) if len(shape) == 3 else shape, 0, None
    if layer.kind == "linear":
        if len(shape) != 1:
            return None, 0, (f"A linear layer needs a flat vector, but the input here is still an image "
                             f"({shape_text(shape)}). Add a Flatten layer before it.")
        return (layer.out,), layer.out * (shape[0] + 1), None
    return shape, 0, None  # relu


def propagate(spec: list[Layer], input_shape: tuple[int, int, int]) -> list[Row]:
    """One Row per layer (at most MAX_LAYERS + 1; the extra one is flagged); rows after the first broken one
    get shape None and "Waiting for row N"."""
    spec = list(spec)[:MAX_LAYERS + 1]
    rows, shape, windows, broken, total = [], tuple(input_shape), [], 0, 0
    n = input_shape[1]
    rf, jump = 1, 1
    for i, raw in enumerate(spec, start=1):
        layer = normalise(raw)
        label = describe(layer) if layer.kind in KINDS else "?"
        problem = _missing(layer) if i <= MAX_LAYERS else f"A stack here has at most {MAX_LAYERS} layers."
        if broken:
            rows.append(Row(i, layer, label, None, 0, None, None, problem or f"Waiting for row {broken} to be fixed."))
            continue
        out, params = None, 0
        if problem is None:
            out, params, problem = _step(layer, shape)
        if problem is None and total + params > MAX_PARAMS:
            problem = f"This row would bring the model past {MAX_PARAMS:,} parameters; make it smaller."
        if problem is not None:
            broken = i
            rows.append(Row(i, layer, label, None, 0, None, None, problem))
            continue
        total += params
        if layer.kind in ("conv", "maxpool", "avgpool"):
            windows.append(WindowLayer(f"row {i}", layer.k, layer.stride, layer.padding or 0))
            last = receptive_fields(n, windows)[-1]
            rf, jump = last.rf, last.jump
        elif layer.kind == "linear":
            rf, jump = None, None
        elif layer.kind == "flatten":
            jump = None
        shape = out
        rows.append(Row(i, layer, label, shape, params, rf, jump))
    return rows


def stack_problems(rows: list[Row]) -> list[str]:
    """Every row problem ("Row 3: ..."), plus one for an empty stack."""
    if not rows:
        return ["The stack is empty: add at least one layer."]
    return [f"Row {r.index}: {r.problem}" for r in rows
            if r.problem and not r.problem.startswith("Waiting")]


def total_params(rows: list[Row]) -> int:
    return sum(r.params for r in rows)


def trainable_reason(rows: list[Row], input_shape: tuple[int, ...]) -> str | None:
    """None if this stack can be trained on MNIST here, else why not (plain words)."""
    if stack_problems(rows):
        return "Fix the flagged rows first."
    if tuple(input_shape) != (1, 28, 28):
        return "Choose the 28x28x1 input: the training data are 28x28 grey digits."
    if rows[-1].shape != (10,):
        return f"The last layer must give 10 outputs (one per digit); it gives {shape_text(rows[-1].shape)}."
    return None


def is_digit_cnn(spec: list[Layer]) -> bool:
    """True when the spec is exactly the Digit CNN preset (then training uses models.mnist_cnn.MnistCNN)."""
    return [normalise(layer) for layer in spec] == [normalise(layer) for layer in PRESETS[DEFAULT_PRESET]]


def _checked(spec: list[Layer], input_shape: tuple[int, int, int]) -> list[Row]:
    rows = propagate(spec, input_shape)
    problems = stack_problems(rows)
    if problems:
        raise ArchitectureError("; ".join(problems))
    return rows


def _module_args(spec: list[Layer], input_shape: tuple[int, int, int]) -> list[tuple[str, tuple]]:
    """(nn class name, constructor args) per layer."""
    rows = _checked(spec, input_shape)
    shapes = [tuple(input_shape)] + [r.shape for r in rows]
    out = []
    for row, before in zip(rows, shapes[:-1], strict=True):
        layer = row.layer
        if layer.kind == "conv":
            out.append(("Conv2d", (before[0], layer.out, layer.k, layer.stride, layer.padding)))
        elif layer.kind == "maxpool":
            out.append(("MaxPool2d", (layer.k, layer.stride)))
        elif layer.kind == "avgpool":
            out.append(("AvgPool2d", (layer.k, layer.stride)))
        elif layer.kind == "linear":
            out.append(("Linear", (before[0], layer.out)))
        else:
            out.append(({"relu": "ReLU", "flatten": "Flatten"}[layer.kind], ()))
    return out


def _call(name: str, args: tuple) -> str:
    if name == "Conv2d":
        c_in, c_out, k, s, p = args
        return f"nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p})"
    if name in ("MaxPool2d", "AvgPool2d"):
        return f"nn.{name}(kernel_size={args[0]}, stride={args[1]})"
    return f"nn.{name}({', '.join(str(a) for a in args)})"


def to_code(spec: list[Layer], input_shape: tuple[int, int, int]) -> str:
    """Python source that builds the stack as `model = nn.Sequential(...)`. Raises ArchitectureError."""
    c, h, w = input_shape
    lines = ["import torch", "from torch import nn", "", "model = nn.Sequential("]
    for row, (name, args) in zip(propagate(spec, input_shape), _module_args(spec, input_shape), strict=True):
        lines.append(f"    {_call(name, args)},  # -> {shape_text(row.shape)}")
    lines += [")", "", f"x = torch.zeros(1, {c}, {h}, {w})  # a batch of one {h}x{w} image with {c} channel(s)",
              "print(model(x).shape)"]
    return "\n".join(lines) + "\n"


def to_sequential(spec: list[Layer], input_shape: tuple[int, int, int]):
    """The stack as a torch nn.Sequential (fresh random weights). Raises ArchitectureError."""
    from torch import nn

    modules = []
    for name, args in _module_args(spec, input_shape):
        if name == "Conv2d":
            c_in, c_out, k, s, p = args
            modules.append(nn.Conv2d(c_in, c_out, kernel_size=k, stride=s, padding=p))
        elif name in ("MaxPool2d", "AvgPool2d"):
            modules.append(getattr(nn, name)(kernel_size=args[0], stride=args[1]))
        else:
            modules.append(getattr(nn, name)(*args))
    return nn.Sequential(*modules)


def torchinfo_rows(spec: list[Layer], input_shape: tuple[int, int, int]) -> tuple[list[tuple], int, str]:
    """torchinfo's view of the exported model: ([(output shape per sample, params)], total params, text)."""
    import torchinfo

    model = to_sequential(spec, input_shape)
    stats = torchinfo.summary(model, input_size=(1, *input_shape), verbose=0, depth=1,
                              col_names=("output_size", "num_params"))
    rows = [(tuple(info.output_size[1:]), info.num_params) for info in stats.summary_list if info.depth == 1]
    return rows, stats.total_params, str(stats)


def depth_profile(rows: list[Row], input_shape: tuple[int, int, int]) -> tuple[list[str], list[int], list[int]]:
    """(x labels, pixels per side, feature maps) for the input and every working conv/pool row."""
    labels, res, maps = ["input"], [input_shape[1]], [input_shape[0]]
    for r in rows:
        if r.ok and len(r.shape) == 3 and r.layer.kind in ("conv", "maxpool", "avgpool"):
            labels.append(f"{r.index}·{'conv' if r.layer.kind == 'conv' else 'pool'}")
            res.append(r.shape[1])
            maps.append(r.shape[0])
    return labels, res, maps
