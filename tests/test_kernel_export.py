"""Export and share: generated PyTorch code reproduces the output; JSON/.npy load back; URL state round-trips."""

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from models.convolution import ConvSettings, convolve
from models.images import SAMPLES, load_image, to_gray
from models.kernel_export import pytorch_code, to_json, to_npy
from models.kernel_url import KernelState, decode, encode
from models.kernels import PresetParams, gaussian, make_preset

CASES = [
    ("sobel x", ConvSettings("zeros"), False),
    ("gaussian", ConvSettings("reflect", stride=2, dilation=2, bias=0.1), True),
    ("emboss", ConvSettings("circular", stride=3, flip=True, bias=-0.2), False),
    ("random", ConvSettings("valid", dilation=3), True),
    ("motion blur", ConvSettings("replicate", stride=4, flip=True), True),
]


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    rng = np.random.default_rng(1)
    pixels = (rng.random((23, 31, 3)) * 255).astype(np.uint8)
    path = tmp_path_factory.mktemp("img") / "photo.png"
    Image.fromarray(pixels).save(path)
    return path


@pytest.mark.parametrize("preset,settings,rgb", CASES, ids=[c[0] for c in CASES])
@pytest.mark.slow
def test_exported_code_reproduces_the_output(preset, settings, rgb, photo, tmp_path):
    kernel = make_preset(preset, PresetParams(size=5, sigma=1.3, length=4, angle=30, seed=2))[0]
    loaded = load_image(photo.read_bytes())
    image = loaded.rgb if rgb else to_gray(loaded.rgb)
    expected = convolve(image, kernel, settings)
    script = tmp_path / "kernel.py"
    script.write_text(pytorch_code(kernel, settings, rgb))
    out = tmp_path / "out.npy"
    run = subprocess.run([sys.executable, str(script), str(photo), str(out)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    got = np.load(out)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_code_names_the_settings():
    code = pytorch_code(gaussian(3, 1.0), ConvSettings("reflect", stride=2, dilation=3, flip=True), rgb=True)
    assert 'mode="reflect"' in code and "stride=2" in code and "dilation=3" in code and "groups=3" in code
    assert "rotated your kernel 180°" in code
    compile(code, "kernel.py", "exec")


def test_json_and_npy_round_trip():
    kernel = make_preset("scharr y", PresetParams())[0]
    data = json.loads(to_json(kernel, ConvSettings("replicate", 2, 1, False, 0.5), rgb=False))
    assert data["kernel"] == kernel.tolist() and data["padding"] == "replicate" and data["padding_pixels"] == 1
    assert data["stride"] == 2 and data["bias"] == 0.5 and data["channels"] == "grayscale"
    np.testing.assert_array_equal(np.load(io.BytesIO(to_npy(kernel))), kernel)


def test_url_round_trip_of_a_full_state():
    state = KernelState(image="astronaut", colour="rgb", preset="custom", size=5, sigma=2.5, length=7, angle=-45.0,
                        seed=42, kernel=((0.5, -1.25, 0.0), (1e-3, 2.0, -3.0), (7.0, 0.0, 0.125)), normalise=True,
                        bias=-0.75, padding="circular", stride=3, dilation=2, flip=True, view="stretch",
                        magnitude=True, row=17, col=5, channel=2)
    params = encode(state)
    assert all(isinstance(v, str) for v in params.values())
    back, notices = decode(params, tuple(SAMPLES))
    assert notices == [] and back == state


def test_url_defaults_are_short_and_round_trip():
    assert encode(KernelState()) == {}
    assert decode({}, tuple(SAMPLES)) == (KernelState(), [])
    assert encode(KernelState(), {"projector": "1"}) == {"projector": "1"}


@pytest.mark.parametrize("params", [
    {"stride": "7"}, {"stride": "two"}, {"pad": "mirror"}, {"size": "4"}, {"k": "1,2;3,4"}, {"k": "nan,0,0;0,0,0;0,0,0"},
    {"k": "1e30,0,0;0,1,0;0,0,1"}, {"k": "garbage"}, {"sigma": "inf"}, {"bias": "1e99"}, {"norm": "yes"},
    {"image": "../../etc/passwd"}, {"preset": "<script>"}, {"row": "-3"}, {"view": ""},
])
def test_malformed_url_falls_back_to_defaults_with_a_notice(params):
    state, notices = decode(params, tuple(SAMPLES))
    assert state == KernelState()
    assert len(notices) == 1 and "ignored" in notices[0]


def test_malformed_parameter_does_not_spoil_the_good_ones():
    state, notices = decode({"stride": "9", "pad": "reflect", "dil": "2", "unknown": "x"}, tuple(SAMPLES))
    assert (state.stride, state.padding, state.dilation) == (1, "reflect", 2) and len(notices) == 1


@pytest.mark.slow
def test_exported_code_reproduces_the_output_on_a_shipped_sample(tmp_path):
    from models.images import SAMPLES_DIR, load_sample

    kernel = make_preset("laplacian of gaussian", PresetParams(size=7, sigma=1.4))[0]
    settings = ConvSettings("reflect", stride=2, bias=0.05)
    expected = convolve(to_gray(load_sample("cat").rgb), kernel, settings)
    script = tmp_path / "kernel.py"
    script.write_text(pytorch_code(kernel, settings, rgb=False))
    run = subprocess.run([sys.executable, str(script), str(SAMPLES_DIR / SAMPLES["cat"]), str(tmp_path / "o.npy")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    np.testing.assert_allclose(np.load(tmp_path / "o.npy"), expected, atol=1e-5)
