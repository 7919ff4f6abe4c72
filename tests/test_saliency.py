"""Saliency, per-layer analysis and the test-set gallery, checked against torch and hand-made arrays."""

import base64
import io

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from models import digit_analysis as da
from models.digit_gallery import Predictions, as_input, misclassified, predict_all
from models.mnist_cnn import MnistCNN
from models.saliency import BACKGROUND, SaliencyError, gradient_x_input, occlusion, occlusion_batch, saliency


class Linear(nn.Module):
    """logits = W x + b over the 784 pixels: gradients and occlusion effects are known exactly."""

    def __init__(self, w: torch.Tensor):
        super().__init__()
        self.w = w.reshape(10, 784)

    def forward(self, x):
        return x.reshape(len(x), 784) @ self.w.T


def test_gradient_x_input_of_a_linear_model_is_weight_times_ink():
    torch.manual_seed(0)
    w = torch.randn(10, 28, 28)
    x = torch.randn(1, 1, 28, 28)
    got = gradient_x_input(Linear(w), x, target=3)
    expected = (w[3] * (x[0, 0] - BACKGROUND)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_occlusion_only_marks_patches_over_the_pixel_the_class_depends_on():
    w = torch.zeros(10, 28, 28)
    w[7, 10, 12] = 5.0  # class 7 looks at one pixel only
    x = torch.full((1, 1, 28, 28), BACKGROUND)
    x[0, 0, 10, 12] = 2.0
    heat = occlusion(Linear(w), x, target=7, patch=4, stride=2)
    assert heat[10, 12] > 0.1
    covering = np.zeros((28, 28), bool)
    for r in range(0, 25, 2):
        for c in range(0, 25, 2):
            if r <= 10 < r + 4 and c <= 12 < c + 4:
                covering[r:r + 4, c:c + 4] = True
    assert np.all(heat[~covering] == 0)
    assert np.all(heat[covering] > 0)


def test_occlusion_batch_matches_one_forward_per_patch():
    torch.manual_seed(1)
    model = MnistCNN().eval()
    x = torch.randn(1, 1, 28, 28)
    batch, corners = occlusion_batch(x, patch=5, stride=3)
    assert corners[-1] == (23, 23)  # the last rows/columns are covered too
    r, c = corners[17]
    one = x.clone()
    one[0, 0, r:r + 5, c:c + 5] = BACKGROUND
    with torch.no_grad():
        torch.testing.assert_close(model(batch)[17], model(one)[0])
    heat = occlusion(model, x, 4, patch=5, stride=3)
    assert heat.shape == (28, 28) and heat.dtype == np.float32 and np.isfinite(heat).all()


def test_saliency_rejects_bad_input_with_clear_messages():
    model = MnistCNN().eval()
    with pytest.raises(SaliencyError, match="28x28"):
        saliency(model, torch.zeros(1, 1, 32, 32), 0)
    with pytest.raises(SaliencyError, match="0..9"):
        saliency(model, torch.zeros(1, 1, 28, 28), 10)
    with pytest.raises(SaliencyError, match="unknown saliency method"):
        saliency(model, torch.zeros(1, 1, 28, 28), 0, "magic")
    with pytest.raises(SaliencyError, match="patch"):
        occlusion(model, torch.zeros(1, 1, 28, 28), 0, patch=0)


def test_analyse_matches_the_models_own_forward():
    torch.manual_seed(2)
    model = MnistCNN().eval()
    x = torch.randn(1, 1, 28, 28)
    result = da.analyse(model, x)
    with torch.no_grad():
        probs = torch.softmax(model(x), 1)[0].numpy()
    np.testing.assert_allclose(result.probs, probs, rtol=1e-5, atol=1e-7)
    assert result.top == int(probs.argmax()) and result.second == int(np.argsort(probs)[-2])
    assert result.acts["conv2"].shape == (20, 11, 11) and result.acts["fc1"].shape == (50,)


def test_architecture_counts_parameters_like_torch():
    model = MnistCNN()
    stages = da.architecture(model)
    assert [s.shape for s in stages] == [(1, 28, 28), (10, 26, 26), (10, 13, 13), (20, 11, 11), (20, 5, 5),
                                         (500,), (50,), (10,)]
    assert sum(s.params for s in stages) == sum(p.numel() for p in model.parameters())
    assert stages[1].params == 10 * 9 + 10 and stages[3].params == 20 * 10 * 9 + 20


def test_value_ranges_per_map_per_layer_and_global():
    a = np.array([[[1.0, 2.0]], [[0.0, 4.0]]])  # non-negative, 2 maps
    b = np.array([[[-3.0, 1.0]]])  # signed, 1 map
    per_map = da.value_ranges({"a": a, "b": b}, "per map")
    np.testing.assert_array_equal(per_map["a"], [[0, 2], [0, 4]])
    np.testing.assert_array_equal(per_map["b"], [[-3, 3]])
    per_layer = da.value_ranges({"a": a, "b": b}, "per layer")
    np.testing.assert_array_equal(per_layer["a"], [[0, 4], [0, 4]])
    glob = da.value_ranges({"a": a, "b": b}, "global")
    np.testing.assert_array_equal(glob["a"], [[0, 4], [0, 4]])
    np.testing.assert_array_equal(glob["b"], [[-4, 4]])
    silent = da.value_ranges({"z": np.zeros((1, 2, 2))}, "per map")
    np.testing.assert_array_equal(silent["z"], [[0, 1]])  # never a zero-width range
    with pytest.raises(ValueError, match="colour scale"):
        da.value_ranges({"a": a}, "local")


def test_gallery_predictions_and_misclassified_order():
    torch.manual_seed(3)
    model = MnistCNN().eval()
    images = np.random.default_rng(0).integers(0, 256, (25, 28, 28), dtype=np.uint8)
    preds = predict_all(model, images, batch=7)
    with torch.no_grad():
        direct = torch.softmax(model(torch.cat([as_input(i) for i in images])), 1).numpy()
    np.testing.assert_allclose(preds.probs, direct, rtol=1e-5, atol=1e-6)
    fake = Predictions(np.array([1, 2, 3, 4]), np.array([0.9, 0.5, 0.99, 0.7], np.float32), np.zeros((4, 10)))
    np.testing.assert_array_equal(misclassified(np.array([1, 0, 0, 0]), fake), [2, 3, 1])


def test_canvas_png_decoding_accepts_png_and_refuses_junk():
    from components.digit_canvas import decode_png

    img = np.full((280, 280), 255, np.uint8)
    img[100:180, 130:150] = 0
    buf = io.BytesIO()
    Image.fromarray(img).convert("RGBA").save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    np.testing.assert_array_equal(decode_png(url), img)
    assert decode_png("data:image/png;base64,!!!!") is None
    assert decode_png("data:image/jpeg;base64,AAAA") is None
    assert decode_png(None) is None
    big = io.BytesIO()
    Image.new("L", (2000, 10)).save(big, format="PNG")
    assert decode_png("data:image/png;base64," + base64.b64encode(big.getvalue()).decode()) is None


def test_feature_grid_is_one_mosaic_with_exact_colours():
    from components.feature_maps import compose
    from components.theme import SEQUENTIAL_LUT

    maps = np.zeros((3, 2, 2))
    maps[1, 0, 0] = 5.0
    rgb = compose(maps, np.tile([0.0, 5.0], (3, 1)), cols=2, cell=4, gap=2)
    assert rgb.shape == (4 + 2 + 4, 4 + 2 + 4, 3)  # 2x2 tiles of 4 px (zoom 2) and a 2 px gap
    np.testing.assert_array_equal(rgb[0, 6], SEQUENTIAL_LUT[255])  # map 1, pixel (0,0), top of the range
    np.testing.assert_array_equal(rgb[0, 0], SEQUENTIAL_LUT[0])
    np.testing.assert_array_equal(rgb[0, 4], [255, 255, 255])  # gap


def test_logits_of_is_the_models_own_forward_and_the_analysed_logits():
    torch.manual_seed(3)
    model = MnistCNN().eval()
    x = torch.randn(1, 1, 28, 28)
    with torch.no_grad():
        expected = model(x)[0].numpy()
    np.testing.assert_allclose(da.logits_of(model, x), expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(da.analyse(model, x).acts["logits"], expected, rtol=1e-5, atol=1e-5)


def test_the_answer_block_states_confidence_honestly():
    from components.prediction import Answer, _headline

    probs = np.full(10, 0.01)
    probs[8] = 0.91
    sure = _headline(Answer(probs, 8, 0, "confident", ""))
    assert ">8<" in sure and "91% sure" in sure and "not sure" not in sure
    unsure = _headline(Answer(probs, 8, 0, "unsure", "Several digits fit.", prob=0.55))
    assert "not sure" in unsure and "55% sure" in unsure and "Several digits fit." in unsure
    refused = _headline(Answer(probs, 8, 0, "not_a_digit", "The network has to pick one of ten <digits>."))
    assert "% sure" not in refused and 'aria-label="prediction 8"' not in refused and "&lt;digits&gt;" in refused
    assert 'aria-label="prediction 8"' in sure
