"""MnistCNN: architecture, activations API, shipped weights and their error messages."""

import pytest
import torch

from models.data import TEST_SAMPLE, load_npz
from models.mnist_cnn import (
    DEFAULT_CHOICE,
    DEFAULT_WEIGHTS,
    LAYER_SHAPES,
    MODEL_CHOICES,
    MODEL_FILES,
    MODELS_DIR,
    MnistCNN,
    WeightsError,
    load_named,
    load_pretrained,
    model_card,
    parameter_count,
    save_weights,
)
from models.train import evaluate


def test_activation_shapes_and_order():
    model = MnistCNN().eval()
    acts = model.forward_with_activations(torch.randn(3, 1, 28, 28))
    assert list(acts) == ["conv1_pre", "conv1", "pool1", "conv2_pre", "conv2", "pool2", "fc1", "logits", "probs"]
    assert list(acts) == list(LAYER_SHAPES)
    for name, shape in LAYER_SHAPES.items():
        assert tuple(acts[name].shape) == (3, *shape), name
    assert tuple(acts["conv1"].shape) == (3, 10, 26, 26)
    assert tuple(acts["pool1"].shape) == (3, 10, 13, 13)
    assert tuple(acts["conv2"].shape) == (3, 20, 11, 11)
    assert tuple(acts["pool2"].shape) == (3, 20, 5, 5)


def test_architecture_is_exactly_the_course_network():
    model = MnistCNN()
    assert (model.conv1.in_channels, model.conv1.out_channels, model.conv1.kernel_size) == (1, 10, (3, 3))
    assert (model.conv2.in_channels, model.conv2.out_channels, model.conv2.kernel_size) == (10, 20, (3, 3))
    assert (model.fc1.in_features, model.fc1.out_features) == (500, 50)
    assert (model.fc2.in_features, model.fc2.out_features) == (50, 10)
    assert parameter_count(model) == 100 + 1820 + 25050 + 510


def test_activations_agree_with_forward_and_are_consistent():
    torch.manual_seed(0)
    model = load_pretrained()
    x = torch.randn(5, 1, 28, 28)
    acts = model.forward_with_activations(x)
    with torch.no_grad():
        assert torch.allclose(acts["logits"], model(x), atol=1e-6)
        assert torch.allclose(acts["conv1"], acts["conv1_pre"].clamp(min=0))
        assert torch.allclose(acts["pool1"], torch.nn.functional.max_pool2d(acts["conv1"], 2))
        assert torch.allclose(acts["conv1_pre"], torch.nn.functional.conv2d(x, model.conv1.weight, model.conv1.bias),
                              atol=1e-5)
    assert torch.allclose(acts["probs"].sum(1), torch.ones(5), atol=1e-5)
    single = model.forward_with_activations(x[:1])
    assert torch.allclose(single["logits"], acts["logits"][:1], atol=1e-5)


def test_rejects_wrong_input_shape():
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        MnistCNN()(torch.zeros(1, 1, 32, 32))
    with pytest.raises(ValueError, match="dropout"):
        MnistCNN(dropout=1.5)


def test_pretrained_is_in_eval_mode_and_loads_weights_only(monkeypatch):
    calls = []
    real_load = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get("weights_only"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    model = load_pretrained()
    assert calls == [True]
    assert not model.training
    state = real_load(DEFAULT_WEIGHTS, weights_only=True)
    assert set(state) == set(MnistCNN().state_dict())


def test_shipped_weights_reach_98_percent_on_the_shipped_sample():
    images, labels = load_npz(TEST_SAMPLE)
    assert len(labels) >= 500 and set(labels.tolist()) == set(range(10))
    acc, per_class, confusion = evaluate(load_pretrained(), images, labels)
    assert acc >= 0.98, f"accuracy {acc:.4f} on the shipped sample"
    assert confusion.sum() == len(labels)
    assert per_class.min() >= 0.9


def test_missing_weights_name_the_file_and_how_to_retrain(tmp_path):
    missing = tmp_path / "nope.pt"
    with pytest.raises(WeightsError, match="python -m models.train") as err:
        load_pretrained(missing)
    assert str(missing) in str(err.value)


def test_truncated_weights_give_the_clear_error(tmp_path):
    bad = tmp_path / "truncated.pt"
    bad.write_bytes(DEFAULT_WEIGHTS.read_bytes()[:2000])
    with pytest.raises(WeightsError, match="damaged or truncated") as err:
        load_pretrained(bad)
    assert str(bad) in str(err.value) and "python -m models.train" in str(err.value)


def test_corrupt_weights_give_the_clear_error(tmp_path):
    bad = tmp_path / "garbage.pt"
    bad.write_bytes(b"this is not a torch file" * 100)
    with pytest.raises(WeightsError, match="python -m models.train"):
        load_pretrained(bad)


def test_mismatched_weights_give_the_clear_error(tmp_path):
    other = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 5))
    path = tmp_path / "other.pt"
    torch.save(other.state_dict(), path)
    with pytest.raises(WeightsError, match="does not fit MnistCNN") as err:
        load_pretrained(path)
    assert str(path) in str(err.value)
    shapes = tmp_path / "shapes.pt"
    state = MnistCNN().state_dict()
    state["fc1.weight"] = torch.zeros(60, 500)
    torch.save(state, shapes)
    with pytest.raises(WeightsError, match="does not fit"):
        load_pretrained(shapes)


def test_pickled_objects_are_refused(tmp_path):
    path = tmp_path / "pickled.pt"
    torch.save(MnistCNN(), path)  # a whole module needs pickle, which weights_only forbids
    with pytest.raises(WeightsError):
        load_pretrained(path)


def test_save_then_load_round_trip(tmp_path):
    model = MnistCNN().eval()
    path = tmp_path / "w.pt"
    save_weights(model, path)
    again = load_pretrained(path)
    x = torch.randn(2, 1, 28, 28)
    with torch.no_grad():
        assert torch.equal(model(x), again(x))


def test_nan_weights_give_the_clear_error(tmp_path):
    state = MnistCNN().state_dict()
    state["conv2.bias"][3] = float("nan")
    path = tmp_path / "nan.pt"
    torch.save(state, path)
    with pytest.raises(WeightsError, match="NaN or infinite") as err:
        load_pretrained(path)
    assert "conv2.bias" in str(err.value) and "python -m models.train" in str(err.value)


@pytest.mark.parametrize("name", list(MODEL_CHOICES))
def test_named_models_load_in_eval_mode_with_their_cards(name):
    model = load_named(name)
    assert isinstance(model, MnistCNN) and not model.training
    card = model_card(name)
    assert card["parameters"] == parameter_count(model) == 27480
    assert (MODELS_DIR / f"{MODEL_FILES[name]}.pt").is_file(), "the named model's own weights are shipped"


def test_model_choices_and_unknown_names():
    assert MODEL_CHOICES == {"pen": "MNIST + pen handwriting", "mnist": "MNIST only (as in the course)"}
    assert next(iter(MODEL_CHOICES)) == DEFAULT_CHOICE == "pen"
    with pytest.raises(ValueError, match="unknown digit model"):
        load_named("resnet")
