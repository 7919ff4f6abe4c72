"""The pipeline runner against hand-built v2.Compose, the recorded random draws, the impossible orders,
the exported code (run in a subprocess), and the JSON / URL round trips."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F

from models.custom_transform import RandomSaltAndPepper
from models.lambdas import add_noise
from models.pipeline import (
    PRESETS,
    compose,
    make_step,
    move_step,
    preset_steps,
    remove_step,
    run_stages,
    sample_outcomes,
    to_pil,
)
from models.pipeline_io import (
    PipelineFileError,
    decode_url,
    encode_url,
    export_code,
    from_json,
    to_dict,
    to_json,
)


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    rng = np.random.default_rng(3)
    base = np.linspace(0, 1, 96 * 80 * 3).reshape(96, 80, 3)
    return to_pil(np.clip(base + rng.normal(0, 0.1, base.shape), 0, 1))


def _steps(*items):
    return [make_step(name, params, f"s{i}") for i, (name, params) in enumerate(items)]


MIXED = [
    ("RandomResizedCrop", {"size": 64}), ("RandomHorizontalFlip", {"p": 0.5}), ("RandomRotation", {"degrees": 40.0}),
    ("ColorJitter", {}), ("Lambda: add noise", {"sigma": 0.05}), ("RandomSaltAndPepper (custom)", {"amount": 0.02}),
    ("ToImage", {}), ("ToDtype", {}), ("RandomErasing", {"p": 1.0}), ("Normalize", {}),
]


def _same(a, b) -> bool:
    if isinstance(a, Image.Image):
        return np.array_equal(np.asarray(a), np.asarray(b))
    return type(a) is type(b) and torch.equal(a, b)


@pytest.mark.parametrize("name", [*PRESETS, "mixed"])
def test_output_equals_hand_built_compose_with_the_same_seed(photo, name):
    steps = _steps(*MIXED) if name == "mixed" else preset_steps(name)
    for seed in (0, 7):
        result = run_stages(steps, photo, seed)
        assert result.problem is None
        torch.manual_seed(seed)
        expected = compose(steps)(photo)
        assert _same(result.output, expected)


def test_hand_written_compose_matches_the_spec_table(photo):
    steps = _steps(*MIXED)
    hand = v2.Compose([
        v2.RandomResizedCrop(64), v2.RandomHorizontalFlip(0.5), v2.RandomRotation(40.0),
        v2.ColorJitter(0.4, 0.4, 0.4, 0.1), v2.Lambda(lambda x: add_noise(x, sigma=0.05)),
        RandomSaltAndPepper(0.02), v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.RandomErasing(p=1.0),
        v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    torch.manual_seed(5)
    expected = hand(photo)
    assert torch.equal(run_stages(steps, photo, 5).output, expected)


def test_stages_are_the_step_by_step_outputs_and_switched_off_steps_are_skipped(photo):
    steps = _steps(("Resize", {"size": 40}), ("Grayscale", {}), ("ToImage", {}), ("ToDtype", {}))
    steps[1]["enabled"] = False
    result = run_stages(steps, photo, 0)
    assert [s.step["name"] if s.step else None for s in result.stages] == [None, "Resize", "ToImage", "ToDtype"]
    resized = v2.Resize(40)(photo)
    assert np.array_equal(np.asarray(result.stages[1].output), np.asarray(resized))
    info = result.stages[-1].info
    assert (info.kind, info.dtype) == ("tv_tensors.Image", "float32")
    assert "(3, 48, 40)" in info.shape  # shorter side (width 80) -> 40
    t = F.to_dtype(F.pil_to_tensor(resized), torch.float32, scale=True)
    assert info.min == pytest.approx(float(t.min())) and info.mean == pytest.approx(float(t.double().mean()))
    assert result.stages[0].info.kind == "PIL.Image"


def test_recorded_parameters_are_the_ones_actually_used(photo):
    steps = _steps(("RandomRotation", {"degrees": 90.0}), ("RandomHorizontalFlip", {"p": 0.5}),
                   ("RandomCrop", {"size": 32}))
    for seed in range(6):
        result = run_stages(steps, photo, seed)
        rot, flip, crop = result.stages[1:]
        angle = rot.params["angle"]
        assert abs(angle) <= 90 and rot.sampled == f"angle {angle:+.1f}°"
        assert np.array_equal(np.asarray(F.rotate(photo, angle)), np.asarray(rot.output))
        flipped = not np.array_equal(np.asarray(flip.output), np.asarray(rot.output))
        assert flip.sampled == ("flipped: yes" if flipped else "flipped: no")
        h, w = (int(v) for v in crop.sampled.split()[1].split("×"))
        top = int(crop.sampled.split("top ")[1].split(",")[0])
        left = int(crop.sampled.split("left ")[1].rstrip(")"))
        assert (h, w) == (32, 32)
        assert np.array_equal(np.asarray(crop.output), np.asarray(flip.output)[top:top + 32, left:left + 32])


def test_random_grid_gives_different_outcomes_with_their_draws(photo):
    steps = _steps(("RandomRotation", {}), ("ToImage", {}))
    outcomes = sample_outcomes(steps, photo, 10, 8)
    assert [o.seed for o in outcomes] == list(range(10, 18))
    assert len({o.sampled[0][1] for o in outcomes}) == 8
    torch.manual_seed(12)
    assert np.array_equal(outcomes[2].view, compose(steps)(photo).permute(1, 2, 0).numpy())


def test_normalized_stages_are_shown_denormalised(photo):
    result = run_stages(preset_steps("ImageNet evaluation"), photo, 0)
    last, before = result.stages[-1], result.stages[-2]
    assert "de-normalised" in last.view_note
    assert np.abs(last.view.astype(int) - before.view.astype(int)).max() <= 1


IMPOSSIBLE = [
    ([("Normalize", {})], 0, "PIL image"),
    ([("ToImage", {}), ("Normalize", {})], 1, "uint8"),
    ([("ToDtype", {}), ("ToImage", {}), ("Normalize", {})], 2, "not been converted to float"),
    ([("Grayscale", {}), ("ToImage", {}), ("ToDtype", {}), ("Normalize", {})], 3, "3 mean values"),
    ([("ToImage", {}), ("ToDtype", {}), ("Normalize", {"mean": (0.5, 0.5), "std": (0.5, 0.5)})], 2,
     "2 mean values"),
    ([("Resize", {"size": 32}), ("RandomErasing", {})], 1, "only works on tensors"),
    ([("Resize", {"size": 32}), ("RandomCrop", {"size": 64})], 1, "larger than the image"),
    ([("CenterCrop", {"size": 12}), ("GaussianBlur", {"kernel_size": 31})], 1, "too big"),
    ([("ToPILImage", {})], 0, "already a PIL image"),
    ([("Resize", {"size": 32}), ("ElasticTransform", {"sigma": 10.0})], 1, "too big for a 32x38 image"),
]


@pytest.mark.parametrize("items,at,words", IMPOSSIBLE, ids=[w for _, _, w in IMPOSSIBLE])
def test_impossible_orders_are_reported_at_their_step_with_earlier_stages_kept(photo, items, at, words):
    result = run_stages(_steps(*items), photo, 0)
    assert result.problem is not None and result.problem.index == at
    assert words in result.problem.message
    assert len(result.stages) == at + 1  # the input and every step before the failing one


def test_silent_surprises_become_warnings(photo):
    result = run_stages(_steps(("CenterCrop", {"size": 200}), ("ToDtype", {}), ("ToImage", {}),
                               ("ToDtype", {"scale": False}), ("Normalize", {})), photo, 0)
    assert result.problem is None
    assert "pads the missing border" in result.stages[1].warnings[0]
    assert "leaves PIL images unchanged" in result.stages[2].warnings[0]
    assert "scale=True" in result.stages[5].warnings[0]


@pytest.mark.slow
def test_exported_code_reproduces_the_output_exactly(photo, tmp_path):
    steps = _steps(*MIXED, ("Lambda: gamma", {"g": 0.7}), ("Lambda: invert", {}), ("Lambda: threshold", {}))
    steps[3]["enabled"] = False
    seed = 11
    photo.save(tmp_path / "in.png")
    code = export_code(steps, seed, f'image = Image.open(r"{tmp_path / "in.png"}").convert("RGB")')
    assert "switched off on the page: ColorJitter" in code
    script = tmp_path / "pipeline.py"
    script.write_text(code + f'\ntorch.save(out.as_subclass(torch.Tensor), r"{tmp_path / "out.pt"}")\n')
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Image" in done.stdout
    shown = run_stages(steps, photo, seed).output
    assert torch.equal(torch.load(tmp_path / "out.pt"), shown.as_subclass(torch.Tensor))


def test_json_round_trip(photo):
    steps = _steps(*MIXED)
    steps[2]["enabled"] = False
    text = to_json(steps, 42)
    back, seed = from_json(text, first_id=5)
    assert seed == 42
    assert [s["id"] for s in back] == [f"s{i}" for i in range(5, 5 + len(steps))]
    assert [(s["name"], s["enabled"], s["params"]) for s in back] == \
        [(s["name"], s["enabled"], s["params"]) for s in steps]
    assert torch.equal(run_stages(back, photo, 42).output, run_stages(steps, photo, 42).output)


@pytest.mark.parametrize("text,words", [
    ("{not json", "not valid JSON"),
    (json.dumps([1, 2]), "not a ConvLab pipeline file"),
    (json.dumps({"format": "something-else"}), "not a ConvLab pipeline file"),
    (json.dumps({"format": "convlab-transform-pipeline", "version": 9, "steps": []}), "version 9"),
    (json.dumps({"format": "convlab-transform-pipeline", "version": 1, "steps": {}}), '"steps" list'),
    (json.dumps({"format": "convlab-transform-pipeline", "version": 1,
                 "steps": [{"transform": "RandomSolarize"}]}), "unknown transform 'RandomSolarize'"),
    (json.dumps({"format": "convlab-transform-pipeline", "version": 1,
                 "steps": [{"transform": "Resize", "params": {"size": 99999}}]}), "Step 1 (Resize)"),
    (json.dumps({"format": "convlab-transform-pipeline", "version": 1, "seed": -3, "steps": []}), "seed"),
    (b"\xff\xfe\x00", "not valid JSON"),
])
def test_malformed_or_unknown_files_are_refused_with_a_reason(text, words):
    with pytest.raises(PipelineFileError, match=words.replace("(", r"\(").replace(")", r"\)")):
        from_json(text)


def test_url_round_trip_and_damaged_link():
    steps = _steps(*MIXED)
    steps[0]["enabled"] = False
    code = encode_url(steps, 9)
    assert len(code) < 400 and all(c.isalnum() or c in "-_" for c in code)
    back, seed = decode_url(code)
    assert seed == 9 and [(s["name"], s["enabled"], s["params"]) for s in back] == \
        [(s["name"], s["enabled"], s["params"]) for s in steps]
    with pytest.raises(PipelineFileError, match="damaged"):
        decode_url(code[:-10])
    with pytest.raises(PipelineFileError, match="damaged"):
        decode_url("!!!")


def test_move_and_remove_keep_step_ids_and_settings():
    steps = _steps(("Resize", {"size": 99}), ("Pad", {"padding": 3}), ("ToImage", {}))
    move_step(steps, "s0", 1)
    assert [s["id"] for s in steps] == ["s1", "s0", "s2"] and steps[1]["params"]["size"] == 99
    move_step(steps, "s1", -1)
    assert [s["id"] for s in steps] == ["s1", "s0", "s2"]
    remove_step(steps, "s0")
    assert [s["id"] for s in steps] == ["s1", "s2"] and steps[0]["params"]["padding"] == 3
    assert to_dict(steps, 0)["steps"][0] == {"transform": "Pad", "enabled": True,
                                             "params": {"padding": 3, "fill": 0, "padding_mode": "constant"}}


def test_an_empty_pipeline_still_runs_and_exports(photo):
    assert run_stages([], photo, 0).output is photo
    assert np.array_equal(np.asarray(compose([])(photo)), np.asarray(photo))
    assert "v2.Identity()" in export_code([], 0, "image = None")


def test_runs_draw_from_their_own_generator_so_threads_need_no_lock(photo):
    """Four threads run pipelines at once while a fifth keeps reseeding and drawing from torch's global
    generator: every result equals the same run done alone, and nothing in models.pipeline is a lock."""
    import threading

    import models.pipeline as pipeline

    assert not any(isinstance(v, type(threading.Lock())) for v in vars(pipeline).values())
    steps = _steps(*MIXED)
    alone = {seed: run_stages(steps, photo, seed).output for seed in range(4)}
    stop, results = threading.Event(), {}

    def noise():
        while not stop.is_set():
            torch.manual_seed(999)
            torch.rand(1000)

    def run(seed):
        results[seed] = [run_stages(steps, photo, seed).output for _ in range(3)]

    threads = [threading.Thread(target=run, args=(s,)) for s in range(4)]
    noisy = threading.Thread(target=noise)
    noisy.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    noisy.join()
    for seed, outs in results.items():
        assert all(torch.equal(o, alone[seed]) for o in outs), seed
    assert not torch.equal(alone[0], alone[1])


def test_a_pipeline_over_the_cpu_budget_is_refused_before_it_runs():
    """Six ElasticTransform(sigma 20) steps on a 512x512 photo: about 25 s of computing, refused at once."""
    import time

    big = to_pil(np.random.default_rng(0).random((512, 512, 3)))
    steps = _steps(*[("ElasticTransform", {"sigma": 20.0})] * 6)
    t0 = time.thread_time()
    result = run_stages(steps, big, 0)
    assert time.thread_time() - t0 < 1.0
    p = result.problem
    assert p is not None and p.over_budget and len(result.stages) == 1
    assert "ElasticTransform" in p.message and "5 s" in p.message and "Make it lighter" in p.message
    tiny = run_stages(_steps(("Resize", {"size": 64}), ("ElasticTransform", {"sigma": 20.0})), big, 0)
    assert "too big for a 64x64 image" in tiny.problem.message  # said before torchvision's padding error


def test_a_pipeline_over_the_memory_budget_is_refused_naming_the_biggest_step():
    wide = to_pil(np.zeros((128, 1024, 3)))  # Resize(1024) makes it 1024 x 8192
    steps = _steps(("Resize", {"size": 1024}), ("ToImage", {}), ("ToDtype", {}), *[("Lambda: invert", {})] * 4)
    p = run_stages(steps, wide, 0).problem
    assert p is not None and p.over_budget and "MB of memory" in p.message and "500 MB" in p.message


def test_the_cpu_budget_stops_a_run_between_steps(photo):
    from models.resource_policy import CpuBudget

    result = run_stages(_steps(("Resize", {"size": 32}), ("ToImage", {})), photo, 0, budget=CpuBudget(-1.0))
    assert result.problem.over_budget and result.problem.index == 0 and "was stopped" in result.problem.message


def test_the_random_grid_is_priced_for_all_its_runs():
    """One run of this pipeline is allowed (test_a_heavy_step_under_the_budget_runs), sixteen are not."""
    from models.resource_policy import ResourceLimitError

    big = to_pil(np.random.default_rng(0).random((256, 256, 3)))
    with pytest.raises(ResourceLimitError, match="16 runs"):
        sample_outcomes(_steps(("ElasticTransform", {"sigma": 20.0})), big, 0, 16)


@pytest.mark.slow
def test_a_heavy_step_under_the_budget_runs():
    """The refused pipelines above, made lighter, run: one ElasticTransform(sigma 20) on 256x256, about 1 s
    (the six-step pipeline cut to one step on a smaller image; the random grid's pipeline run once)."""
    big = to_pil(np.random.default_rng(0).random((512, 512, 3)))
    one = run_stages(_steps(("Resize", {"size": 256}), ("ElasticTransform", {"sigma": 20.0})), big, 0)
    assert one.problem is None and len(one.stages) == 3
    square = to_pil(np.random.default_rng(0).random((256, 256, 3)))
    assert run_stages(_steps(("ElasticTransform", {"sigma": 20.0})), square, 0).problem is None


def test_cost_estimate_is_of_the_right_size_for_the_heaviest_step():
    """The estimate (models.pipeline_cost) against this thread's CPU time: never 3x too low (loose, CPU time)."""
    import time

    from models.pipeline_cost import step_costs

    img = to_pil(np.random.default_rng(1).random((256, 256, 3)))
    steps = _steps(("ElasticTransform", {"sigma": 10.0}))
    estimate = step_costs(steps, (3, 256, 256))[0].cost.seconds
    t0 = time.thread_time()
    compose(steps)(img)
    measured = time.thread_time() - t0
    assert estimate > measured / 3, (estimate, measured)
