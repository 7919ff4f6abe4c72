"""MNIST data: the shipped .npz samples in assets/digits/ and the full dataset via torchvision.

Arrays: images uint8 (N,28,28) white ink on black, labels int64 (N,).
"""

import hashlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DIGITS_DIR = ROOT / "assets" / "digits"
TEST_SAMPLE = DIGITS_DIR / "test_sample.npz"  # 1000 MNIST test digits, 100 per class
TRAIN_SUBSET = DIGITS_DIR / "train_10k.npz"  # 10,000 MNIST training digits, 1000 per class
SHARED_DATA = ROOT.parent / "shared" / "data"


class DataError(ValueError):
    """The dataset could not be found or read."""


def default_data_root() -> Path:
    """../shared/data when it exists (this machine), otherwise the shipped assets/digits."""
    return SHARED_DATA if (SHARED_DATA / "MNIST" / "raw").is_dir() else DIGITS_DIR


def load_npz(path: Path | str) -> tuple[np.ndarray, np.ndarray]:
    """An .npz with arrays "images" (N,28,28) uint8 and "labels" (N,) -> (images, labels int64)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"digit file {path} not found")
    with np.load(path, allow_pickle=False) as npz:
        if "images" not in npz or "labels" not in npz:
            raise DataError(f"{path} must hold arrays named 'images' and 'labels'")
        images, labels = npz["images"], npz["labels"]
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise DataError(f"{path}: expected images (N,28,28) and N labels, got {images.shape} and {labels.shape}")
    return images.astype(np.uint8), labels.astype(np.int64)


def save_npz(path: Path | str, images: np.ndarray, labels: np.ndarray) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, images=np.asarray(images, np.uint8), labels=np.asarray(labels, np.int64))


def has_full_mnist(root: Path | str) -> bool:
    return (Path(root) / "MNIST" / "raw" / "train-images-idx3-ubyte").is_file() or \
        (Path(root) / "MNIST" / "raw" / "train-images-idx3-ubyte.gz").is_file()


def load_mnist(root: Path | str, train: bool, download: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Full MNIST split through torchvision.datasets.MNIST -> (images (N,28,28) uint8, labels int64)."""
    from torchvision.datasets import MNIST

    try:
        ds = MNIST(root=str(root), train=train, download=download)
    except RuntimeError as exc:
        raise DataError(f"MNIST not found under {root}/MNIST/raw; pass --download (needs internet) "
                        f"or --data-root {DIGITS_DIR} for the shipped subset") from exc
    return ds.data.numpy().astype(np.uint8), ds.targets.numpy().astype(np.int64)


def load_split(root: Path | str, train: bool, download: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Full MNIST when `root` holds it; otherwise the shipped npz files (root = assets/digits)."""
    root = Path(root)
    if has_full_mnist(root) or download:
        return load_mnist(root, train, download)
    npz = root / (TRAIN_SUBSET.name if train else TEST_SAMPLE.name)
    if npz.is_file():
        return load_npz(npz)
    raise DataError(f"no MNIST under {root}: expected {root}/MNIST/raw or {npz.name}; "
                    f"try --data-root {DIGITS_DIR} or --download")


def stratified_indices(labels: np.ndarray, per_class: int, seed: int = 0) -> np.ndarray:
    """per_class random indices of each label 0..9, sorted."""
    rng = np.random.default_rng(seed)
    picks = [rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)]
    return np.sort(np.concatenate(picks))


def md5(path: Path | str) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def build_shipped(root: Path | str = SHARED_DATA) -> None:
    """Write assets/digits/test_sample.npz and train_10k.npz from full MNIST (run once)."""
    test_x, test_y = load_mnist(root, train=False)
    idx = stratified_indices(test_y, 100, seed=0)
    save_npz(TEST_SAMPLE, test_x[idx], test_y[idx])
    train_x, train_y = load_mnist(root, train=True)
    idx = stratified_indices(train_y, 1000, seed=0)
    save_npz(TRAIN_SUBSET, train_x[idx], train_y[idx])


if __name__ == "__main__":
    build_shipped()
    for p in (TEST_SAMPLE, TRAIN_SUBSET):
        print(p, p.stat().st_size, md5(p))
