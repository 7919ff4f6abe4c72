"""Training pieces, augmentation, the training/evaluate CLIs and the model card."""

import json

import numpy as np
import pytest
import torch

from models import augment, data
from models import evaluate as evaluate_cli
from models.mnist_cnn import MnistCNN, load_pretrained
from models.preprocess import MNIST_MEAN, MNIST_STD, prepare_digit
from models.train import TrainConfigError, confusion_stats, evaluate, main, make_loader, train_one_epoch

FULL = data.has_full_mnist(data.SHARED_DATA)
needs_full = pytest.mark.skipif(not FULL, reason=f"full MNIST not found under {data.SHARED_DATA}/MNIST/raw "
                                                 "(only the shipped assets/digits sample is available)")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One torch thread (a 2-thread pool stalls on a busy machine); restore the global settings after,
    since models.train.main() changes them for the process."""
    threads, deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(deterministic)


@pytest.fixture(scope="module")
def sample():
    return data.load_npz(data.TEST_SAMPLE)


def test_shipped_npz_files(sample):
    images, labels = sample
    assert images.dtype == np.uint8 and images.shape[1:] == (28, 28) and labels.dtype == np.int64
    assert len(images) >= 500 and np.bincount(labels, minlength=10).min() == np.bincount(labels).max()
    train_x, train_y = data.load_npz(data.TRAIN_SUBSET)
    assert train_x.shape == (10000, 28, 28) and np.bincount(train_y).tolist() == [1000] * 10


def test_load_npz_errors(tmp_path):
    with pytest.raises(data.DataError, match="not found"):
        data.load_npz(tmp_path / "x.npz")
    np.savez(tmp_path / "bad.npz", x=np.zeros(3))
    with pytest.raises(data.DataError, match="images"):
        data.load_npz(tmp_path / "bad.npz")


def test_loader_is_seeded_and_normalised(sample):
    images, labels = sample
    a = make_loader(images[:256], labels[:256], batch_size=64, seed=3, augment=True)
    b = make_loader(images[:256], labels[:256], batch_size=64, seed=3, augment=True)
    c = make_loader(images[:256], labels[:256], batch_size=64, seed=4, augment=True)
    xa, ya = next(iter(a))
    xb, yb = next(iter(b))
    xc, _ = next(iter(c))
    assert xa.shape == (64, 1, 28, 28) and ya.shape == (64,) and xa.dtype == torch.float32
    assert torch.equal(xa, xb) and torch.equal(ya, yb) and not torch.equal(xa, xc)
    assert float(xa.min()) >= -MNIST_MEAN / MNIST_STD - 1e-5 and float(xa.max()) <= (1 - MNIST_MEAN) / MNIST_STD + 1e-4
    plain = make_loader(images[:8], labels[:8], batch_size=8, seed=0, augment=False, shuffle=False)
    x, y = next(iter(plain))
    assert torch.allclose(x[:, 0], (torch.as_tensor(images[:8]) / 255.0 - MNIST_MEAN) / MNIST_STD)
    assert torch.equal(y, torch.as_tensor(labels[:8]))


def test_loader_rejects_bad_arguments(sample):
    images, labels = sample
    with pytest.raises(TrainConfigError):
        make_loader(images[:10], labels[:9], 4, 0, augment=False)
    with pytest.raises(TrainConfigError):
        make_loader(images[:10], labels[:10], 0, 0, augment=False)


def test_renormalise_frames_like_prepare_digit(sample):
    images, _ = sample
    x = torch.as_tensor(images[:32] / 255.0, dtype=torch.float32).unsqueeze(1)
    warped = augment.warp(x, torch.Generator().manual_seed(0), rotate=25, shear=0.4, aspect=0.3, elastic=1.5)
    framed = augment.renormalise(warped)
    ys, xs = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    mass = framed.sum((1, 2, 3))
    cy = (framed[:, 0] * ys).sum((1, 2)) / mass
    cx = (framed[:, 0] * xs).sum((1, 2)) / mass
    assert (cy - 13.5).abs().max() < 1.0 and (cx - 13.5).abs().max() < 1.0
    reference = np.stack([prepare_digit(w[0].numpy()).stages["centred"] / 255.0 for w in warped])
    assert np.abs(framed[:, 0].numpy() - reference).mean() < 0.06


def test_thickness_keeps_digits(sample):
    images, _ = sample
    x = torch.as_tensor(images[:64] / 255.0, dtype=torch.float32).unsqueeze(1)
    out = augment.thickness(x, torch.Generator().manual_seed(1), p_thick=0.5, p_thin=0.5)
    assert out.shape == x.shape and (out.flatten(1).amax(1) > 0.3).all()
    assert not torch.equal(out, x)


def test_train_one_epoch_callbacks_and_clean_stop(sample):
    images, labels = sample
    torch.manual_seed(0)
    model = MnistCNN()
    loader = make_loader(images, labels, batch_size=50, seed=0, augment=False)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    seen = []
    stats = train_one_epoch(model, loader, opt, on_batch=lambda i, loss, acc: seen.append((i, loss, acc)),
                            should_stop=lambda: len(seen) >= 5)
    assert stats["stopped"] and stats["batches"] == 5 and [s[0] for s in seen] == [1, 2, 3, 4, 5]
    assert all(0 <= acc <= 1 and loss > 0 for _, loss, acc in seen)
    assert not model.training
    full = train_one_epoch(model, loader, opt)
    assert full["batches"] == len(loader) and not full["stopped"]


def test_confusion_stats_by_hand():
    labels = np.array([0, 0, 1, 1, 2, 2])
    pred = np.array([0, 1, 1, 1, 2, 0])
    acc, per_class, confusion = confusion_stats(pred, labels)
    assert acc == pytest.approx(4 / 6)
    assert per_class[:3].tolist() == [0.5, 1.0, 0.5]
    assert confusion[0, 1] == 1 and confusion[2, 0] == 1 and confusion.sum() == 6


def test_evaluate_matches_a_manual_loop(sample):
    images, labels = sample
    model = load_pretrained()
    acc, _, _ = evaluate(model, images[:100], labels[:100])
    correct = 0
    for img, lab in zip(images[:100], labels[:100], strict=True):
        correct += int(model(prepare_digit(img).tensor).argmax()) == lab
    assert acc == pytest.approx(correct / 100, abs=0.03)


def no_absolute_paths(obj) -> bool:
    text = json.dumps(obj)
    return '"/' not in text and str(data.ROOT.parent) not in text


def test_smoke_training_is_fast_reproducible_and_checked_by_evaluate(tmp_path):
    args = ["--data", "mnist", "--epochs", "0.1", "--limit", "600", "--outliers", "50", "--data-root",
            str(data.DIGITS_DIR), "--no-evaluate", "--quiet"]
    card = main(args + ["--out", str(tmp_path / "a")])
    main(args + ["--out", str(tmp_path / "b")])
    a = torch.load(tmp_path / "a" / "mnist_only.pt", weights_only=True)
    b = torch.load(tmp_path / "b" / "mnist_only.pt", weights_only=True)
    assert all(torch.equal(a[k], b[k]) for k in a), "same seed must give the same weights"
    saved = json.loads((tmp_path / "a" / "mnist_only.json").read_text())
    assert saved["seed"] == 0 and saved["parameters"] == 27480 and saved == json.loads(json.dumps(card))
    assert saved["config"]["training_images"] == 600 + 50  # 5 kinds x 10 non-digit drawings
    assert saved["name"] == "mnist" and saved["data"]["unipen"] is None and no_absolute_paths(saved)
    assert set(saved["data"]["mnist_files"]) == {"test_sample.npz", "train_10k.npz"}


def tiny_data_root(tmp_path):
    """The shipped MNIST subset plus 300 real pen digits: half keep their validation writers, half are
    given ten made-up training writers."""
    import gzip
    import shutil

    from models import unipen

    root = tmp_path / "data"
    (root / "unipen-digits").mkdir(parents=True)
    for f in (data.TEST_SAMPLE, data.TRAIN_SUBSET):
        shutil.copy(f, root / f.name)
    with gzip.open(root / unipen.UNIPEN_FILE, "wt") as f:
        for i, g in enumerate(unipen.gallery()):
            writer = g["writer"] if i % 2 else f"tst/w{i % 10}"
            f.write(json.dumps({"label": g["label"], "writer": writer, "strokes": g["strokes"]}) + "\n")
    return root


@pytest.mark.slow
def test_pen_training_and_evaluation_run_end_to_end(tmp_path):
    from models.mnist_cnn import load_pretrained as load

    root = tiny_data_root(tmp_path)
    card = main(["--data", "pen", "--epochs", "0.3", "--limit", "500", "--pen-copies", "1", "--outliers", "50",
                 "--data-root", str(root), "--quiet", "--out", str(tmp_path / "out")])
    assert card["data"]["unipen"]["fit_digits"] + card["data"]["unipen"]["held_out_digits"] == 150
    assert card["unipen_validation_default"]["n"] == 150 and len(card["unipen_validation_default"]["per_class"]) == 10
    assert card["calibration"]["temperature"] > 0 and 0 <= card["calibration"]["ece_held_out_after"] <= 1
    assert set(card["non_digit"]["per_kind"]) == {"scribble", "x", "dot", "filled", "lines"}
    assert "mnist_test" not in card and 0 <= card["sample"]["accuracy"] <= 1 and no_absolute_paths(card)
    load(tmp_path / "out" / "mnist_pen.pt")
    cli = ["--models-dir", str(tmp_path / "out"), "--data-root", str(root), "--model", "pen", "--check"]
    assert evaluate_cli.main(cli) == 0
    card["sample"]["accuracy"] += 0.05
    (tmp_path / "out" / "mnist_pen.json").write_text(json.dumps(card))
    assert evaluate_cli.main(cli) == 1
    assert evaluate_cli.main(["--models-dir", str(tmp_path / "nowhere"), "--model", "pen", "--check"]) == 2


def test_bad_training_settings_raise_train_config_error(tmp_path):
    with pytest.raises(TrainConfigError, match="CONVLAB_DATA"):
        main(["--data", "pen", "--data-root", str(tmp_path), "--quiet"])
    with pytest.raises(TrainConfigError, match="epochs"):
        main(["--data", "mnist", "--epochs", "nan", "--quiet"])
    with pytest.raises(TrainConfigError, match="pen-copies"):
        main(["--data", "mnist", "--pen-copies", "0", "--quiet"])
    for flag, value in (("--aspect", "0.9"), ("--shear", "-0.1"), ("--rotate", "90")):
        with pytest.raises(TrainConfigError, match=flag):
            main(["--data", "mnist", flag, value, "--quiet"])


@pytest.mark.parametrize("name", ["pen", "mnist"])
def test_shipped_cards_are_complete(name):
    from models.mnist_cnn import MODEL_FILES, MODELS_DIR, model_card

    card = model_card(name)
    for key in ("architecture", "parameters", "config", "seed", "data", "mnist_test", "unipen_validation_default",
                "unipen_validation_varied", "calibration", "confidence", "non_digit", "sample", "train_seconds"):
        assert key in card, key
    assert card["parameters"] == 27480 and card["name"] == name and no_absolute_paths(card)
    assert card["weights_md5"] == data.md5(MODELS_DIR / f"{MODEL_FILES[name]}.pt")
    assert card["calibration"]["ece_unipen_validation_after"] < card["calibration"]["ece_unipen_validation_before"]
