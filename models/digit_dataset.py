"""From NumPy arrays to minibatches: a custom Dataset wrapping the shipped MNIST sample (or the sample
photos) with the current transform pipeline, a seeded DataLoader, and the epoch / iteration arithmetic.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from models.seeded_transforms import seeded_generator, use_generator
from models.torch_threads import one_torch_thread


class PipelineDataset(Dataset):
    """Sample i = (pipeline(image i as a PIL image), label i).

    images: uint8 array (N, H, W) for grey digits or (N, H, W, 3) for colour photos.
    labels: int array (N,). transform: any callable on a PIL image (a v2.Compose).
    Each sample's random choices come from seed, epoch and index, so a run can be replayed exactly,
    yet every epoch augments each image differently.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray, transform, seed: int = 0):
        if len(images) != len(labels):
            raise ValueError(f"got {len(images)} images but {len(labels)} labels")
        if len(images) == 0:
            raise ValueError("the dataset needs at least one image")
        self.images = images
        self.labels = torch.as_tensor(labels, dtype=torch.int64)
        self.transform = transform
        self.seed = seed
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int):
        image = Image.fromarray(self.images[index])  # mode "L" for digits, "RGB" for photos
        generator = seeded_generator(self.seed * 1_000_003 + self.epoch * 10_007 + index)
        use_generator(self.transform, generator)  # this sample's random draws, from its own generator
        return self.transform(image), self.labels[index]


def iterations_per_epoch(n_samples: int, batch_size: int, drop_last: bool) -> int:
    """Batches in one pass over the data: ceil(N / B), or floor(N / B) when the last short batch is dropped."""
    if n_samples < 0 or batch_size < 1:
        raise ValueError(f"need n_samples >= 0 and batch_size >= 1, got {n_samples} and {batch_size}")
    return n_samples // batch_size if drop_last else math.ceil(n_samples / batch_size)


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool, drop_last: bool, seed: int) -> DataLoader:
    """A single-process DataLoader whose shuffling is driven by its own seeded generator."""
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, num_workers=0,
                      generator=torch.Generator().manual_seed(seed))


@dataclass
class Batch:
    epoch: int  # 1-based
    iteration: int  # 1-based within the epoch
    images: torch.Tensor  # (B, C, H, W)
    labels: torch.Tensor  # (B,)


class EpochWalker:
    """Steps through a DataLoader one minibatch at a time; after the last batch it starts the next epoch
    (a fresh iterator, so a shuffling loader draws a new order)."""

    def __init__(self, loader: DataLoader):
        self.loader = loader
        self.epoch = 0
        self.iteration = 0
        self._it = None

    def next_batch(self) -> Batch:
        one_torch_thread()
        while True:
            if self._it is None:
                self.epoch += 1
                self.iteration = 0
                self.loader.dataset.epoch = self.epoch - 1
                self._it = iter(self.loader)
            try:
                images, labels = next(self._it)
            except StopIteration:
                self._it = None
                if len(self.loader) == 0:
                    raise ValueError("batch_size is larger than the dataset and drop_last is on: "
                                     "an epoch has no batches at all.") from None
                continue
            self.iteration += 1
            return Batch(self.epoch, self.iteration, images, labels)


def subset(images, labels: np.ndarray, n: int) -> tuple[list, np.ndarray]:
    """The first n samples, repeating the list when n is larger (for the few sample photos)."""
    idx = np.arange(n) % len(images)
    return [images[i] for i in idx], labels[idx]


SOURCES = ("MNIST sample", "Sample photos")
PHOTO_SIDE = 128  # sample photos are stored as thumbnails, as a real dataset of small images would be


def dataset_arrays(source: str) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """(images uint8 (H, W) or (H, W, 3), labels (N,), class names) for a Dataset source."""
    if source == "MNIST sample":
        from models.data import TEST_SAMPLE, load_npz

        images, labels = load_npz(TEST_SAMPLE)
        return list(images), labels, [str(d) for d in range(10)]
    if source == "Sample photos":
        from models.images import SAMPLES, load_sample

        photos = []
        for name in SAMPLES:
            img = Image.fromarray((load_sample(name).rgb * 255).round().astype(np.uint8))
            img.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            photos.append(np.asarray(img))
        return photos, np.arange(len(photos)), list(SAMPLES)
    raise ValueError(f"unknown dataset source {source!r}; choose one of {', '.join(SOURCES)}")


def loader_problem(exc: Exception) -> str:
    """Plain words for why the DataLoader could not stack a batch."""
    text = str(exc)
    if "PIL" in text or "found <class" in text:
        return ("The pipeline ends with a PIL image, but a DataLoader stacks tensors. End the pipeline with "
                "ToImage and ToDtype(float32, scale=True).")
    if "stack expects each tensor to be equal size" in text or "equal size" in text:
        return ("The samples come out in different sizes, so they cannot be stacked into one batch tensor. "
                "Add Resize + CenterCrop (or RandomResizedCrop) so every sample has the same height and width.")
    return f"The DataLoader could not build a batch: {text}"
