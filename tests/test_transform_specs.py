"""Every catalogue entry builds and runs with its defaults and at every parameter extreme."""

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F

from models import lambdas
from models.custom_transform import RandomSaltAndPepper
from models.seeded_transforms import seeded_generator, use_generator
from models.transform_specs import CATALOGUE, KINDS, SPECS, SpecError, spec


def _input(s, side: int = 64):
    """A natural input for the spec: PIL for most, float tv_tensors.Image for Normalize/RandomErasing."""
    rng = np.random.default_rng(0)
    img = Image.fromarray(rng.integers(0, 256, (side, side + 8, 3), dtype=np.uint8))
    if s.name == "ToPILImage":
        return v2.ToImage()(img)
    if s.needs in ("float", "tensor"):
        return v2.ToDtype(torch.float32, scale=True)(v2.ToImage()(img))
    return img


def _extreme_values(s):
    for p in s.params:
        if p.kind in ("int", "float"):
            for v in (p.lo, p.hi):
                if s.name == "GaussianBlur" and p.name == "kernel_size" and int(v) % 2 == 0:
                    continue
                yield p.name, int(v) if p.kind == "int" else float(v)
        elif p.kind == "range":
            for v in ((p.lo, p.lo), (p.hi, p.hi), (p.lo, p.hi)):
                yield p.name, v
        elif p.kind == "choice":
            for v in p.options:
                yield p.name, v
        elif p.kind == "bool":
            for v in (False, True):
                yield p.name, v
        elif p.kind == "floats":
            for v in ((p.lo,) * 3, (p.hi,) * 3):
                yield p.name, v


def _needs_large(s, name, value) -> int:
    big = s.name in ("RandomCrop", "CenterCrop") and name == "size" and value > 64
    return 1040 if big else 240


def test_table_is_well_formed():
    assert len(CATALOGUE) == len(SPECS)
    required = {"CenterCrop", "Grayscale", "Pad", "RandomAffine", "RandomCrop", "RandomHorizontalFlip",
                "RandomVerticalFlip", "RandomRotation", "Resize", "RandomResizedCrop", "RandomPerspective",
                "ColorJitter", "GaussianBlur", "ElasticTransform", "Normalize", "RandomErasing", "ToImage",
                "ToDtype"}
    assert required <= set(CATALOGUE)
    assert {f"Lambda: {k}" for k in lambdas.MENU} <= set(CATALOGUE)
    assert any(s.factory is RandomSaltAndPepper for s in SPECS)
    for s in SPECS:
        for p in s.params:
            assert p.kind in KINDS, (s.name, p.name)
            assert p.help, f"{s.name}.{p.name} has no help text"
            assert p.check(p.default) is not None or p.kind == "bool"


def _plain(s, values: dict):
    """The step as the exported code builds it: torchvision's own class (or the custom one), no generator."""
    kwargs = s.kwargs(s.validate(values))
    return getattr(v2, s.code_name[3:])(**kwargs) if s.code_name.startswith("v2.") else RandomSaltAndPepper(**kwargs)


def _same(a, b) -> bool:
    if isinstance(a, Image.Image):
        return isinstance(b, Image.Image) and np.array_equal(np.asarray(a), np.asarray(b))
    return type(a) is type(b) and a.dtype == b.dtype and torch.equal(a, b)


MEAN, STD = torch.tensor([0.485, 0.456, 0.406])[:, None, None], torch.tensor([0.229, 0.224, 0.225])[:, None, None]
REFERENCE = {  # deterministic steps with their defaults, computed without the catalogue
    "ToImage": lambda x: tv_tensors.Image(F.pil_to_tensor(x)),
    "ToDtype": lambda x: x,  # a PIL image passes through ToDtype unchanged
    "ToPILImage": F.to_pil_image,
    "Resize": lambda x: F.resize(x, [256], antialias=True),
    "CenterCrop": lambda x: F.center_crop(x, [224]),
    "Pad": lambda x: F.pad(x, [16], fill=0),
    "Grayscale": lambda x: F.rgb_to_grayscale(x, num_output_channels=1),
    "Normalize": lambda x: tv_tensors.Image((x.as_subclass(torch.Tensor) - MEAN) / STD),
    "Lambda: invert": lambda x: Image.fromarray(255 - np.asarray(x)),
    "Lambda: threshold": lambda x: Image.fromarray(((np.asarray(x) / 255.0 > 0.5) * 255).astype(np.uint8)),
}


@pytest.mark.parametrize("s", SPECS, ids=[s.name for s in SPECS])
def test_defaults_give_what_torchvision_gives_with_the_same_seed(s):
    """Deterministic steps equal an independent reference; random steps, drawing from their own generator,
    equal torchvision's class after torch.manual_seed(seed), whatever the global generator holds meanwhile."""
    x = _input(s, 240)
    if not s.random:
        if s.name in REFERENCE:
            expected = REFERENCE[s.name](x)
            out = s.build(s.defaults())(x)
            assert _same(out, expected) or torch.allclose(out.float(), expected.float(), atol=1e-6), s.name
        return
    outputs = []
    for seed in (0, 1, 7):
        torch.manual_seed(seed)
        expected = _plain(s, s.defaults())(x)
        ours = s.build(s.defaults())
        use_generator(ours, seeded_generator(seed))
        torch.manual_seed(12345)  # the global generator must not matter
        outputs.append(ours(x))
        assert _same(outputs[-1], expected), (s.name, seed)
    coin_only = s.name in ("RandomHorizontalFlip", "RandomVerticalFlip", "RandomPerspective", "RandomErasing")
    assert coin_only or not _same(outputs[0], outputs[1]), f"{s.name}: seeds 0 and 1 drew the same"


@pytest.mark.parametrize("s", [s for s in SPECS if s.params], ids=[s.name for s in SPECS if s.params])
def test_runs_at_every_parameter_extreme(s):
    for name, value in _extreme_values(s):
        values = {**s.defaults(), name: value}
        if s.name == "RandomCrop" and name == "padding" and value > 0:
            values["pad_if_needed"] = True
        torch.manual_seed(0)
        out = s.build(values)(_input(s, _needs_large(s, name, value)))
        if isinstance(out, torch.Tensor):
            assert torch.isfinite(out.float()).all(), (s.name, name, value)


def test_parameters_reject_bad_values_in_plain_words():
    with pytest.raises(SpecError, match="between 8 and 1024"):
        spec("Resize").validate({"size": 5000})
    with pytest.raises(SpecError, match="no parameter"):
        spec("Resize").validate({"colour": 1})
    with pytest.raises(SpecError, match="low then high"):
        spec("RandomResizedCrop").validate({"scale": (0.9, 0.1)})
    with pytest.raises(SpecError, match="whole number"):
        spec("Pad").validate({"padding": 2.5})
    with pytest.raises(SpecError, match="one of"):
        spec("ToDtype").validate({"dtype": "complex"})
    with pytest.raises(SpecError, match="unknown transform"):
        spec("RandomSolarize")


def test_code_is_the_constructor_call():
    assert spec("Resize").code({"size": 32}) == \
        "v2.Resize(size=32, interpolation=v2.InterpolationMode.BILINEAR, antialias=True)"
    assert spec("ToDtype").code({}) == "v2.ToDtype(dtype=torch.float32, scale=True)"
    assert spec("Lambda: gamma").code({"g": 2.0}) == "v2.Lambda(lambd=partial(gamma, g=2.0))"
    assert spec("RandomAffine").code({"translate": 0.0}).count("translate=None") == 1


def test_lambdas_match_hand_computed_values_for_every_input_kind():
    x = torch.tensor([[[0, 64, 255]]], dtype=torch.uint8)
    assert lambdas.invert(x).tolist() == [[[255, 191, 0]]]
    f = x.float() / 255
    assert torch.allclose(lambdas.invert(f), 1 - f)
    assert lambdas.threshold(f, level=0.5).tolist() == [[[0.0, 0.0, 1.0]]]
    assert torch.allclose(lambdas.gamma(f, g=2.0), f ** 2)
    img = tv_tensors.Image(x)
    assert isinstance(lambdas.invert(img), tv_tensors.Image)
    pil = Image.fromarray(np.array([[0, 128, 255]], dtype=np.uint8))
    assert np.asarray(lambdas.invert(pil)).tolist() == [[255, 127, 0]]
    torch.manual_seed(1)
    a = lambdas.add_noise(f, sigma=0.1)
    torch.manual_seed(1)
    assert torch.equal(a, lambdas.add_noise(f, sigma=0.1))


def test_custom_transform_follows_make_params_then_transform():
    t = RandomSaltAndPepper(amount=0.5, p=1.0)
    x = torch.full((3, 20, 30), 0.5)
    torch.manual_seed(0)
    params = t.make_params([x])
    assert params["hit"].shape == (20, 30)
    out = t.transform(x, params)
    hit, salt = params["hit"], params["salt"]
    assert (out[:, hit & salt] == 1).all() and (out[:, hit & ~salt] == 0).all() and (out[:, ~hit] == 0.5).all()
    assert torch.equal(RandomSaltAndPepper(amount=0.5, p=0.0)(x), x)
    with pytest.raises(ValueError, match="between 0 and 1"):
        RandomSaltAndPepper(amount=2)
