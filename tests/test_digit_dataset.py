"""The custom Dataset, the DataLoader's batch count and shapes (with and without drop_last), epochs and
reshuffling, and the plain-words errors when samples cannot be stacked."""

import math

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from models.digit_dataset import (
    EpochWalker,
    PipelineDataset,
    dataset_arrays,
    iterations_per_epoch,
    loader_problem,
    make_loader,
    subset,
)
from models.pipeline import compose, preset_steps


@pytest.fixture(scope="module")
def digits():
    images, labels, names = dataset_arrays("MNIST sample")
    assert len(images) == 1000 and images[0].shape == (28, 28) and images[0].dtype == np.uint8
    assert names == [str(d) for d in range(10)]
    return subset(images, labels, 100)


@pytest.fixture(scope="module")
def mnist_pipeline():
    return compose(preset_steps("MNIST training augmentation"))


@pytest.mark.parametrize("n,b,drop,expected", [(100, 20, False, 5), (100, 20, True, 5), (100, 30, False, 4),
                                               (100, 30, True, 3), (7, 10, False, 1), (7, 10, True, 0),
                                               (1, 1, False, 1)])
def test_iterations_per_epoch(n, b, drop, expected):
    assert iterations_per_epoch(n, b, drop) == expected
    assert expected == (n // b if drop else math.ceil(n / b))
    with pytest.raises(ValueError):
        iterations_per_epoch(10, 0, False)


@pytest.mark.parametrize("batch,drop,sizes", [(20, False, [20] * 5), (20, True, [20] * 5),
                                              (30, False, [30, 30, 30, 10]), (30, True, [30, 30, 30])])
def test_loader_batch_count_and_shapes(digits, mnist_pipeline, batch, drop, sizes):
    images, labels = digits
    ds = PipelineDataset(images, labels, mnist_pipeline, seed=0)
    assert len(ds) == 100
    x, y = ds[3]
    assert x.shape == (1, 28, 28) and x.dtype == torch.float32 and int(y) == int(labels[3])
    loader = make_loader(ds, batch, shuffle=True, drop_last=drop, seed=1)
    assert isinstance(loader, DataLoader) and len(loader) == iterations_per_epoch(100, batch, drop)
    batches = list(loader)
    assert [len(b[0]) for b in batches] == sizes
    for xb, yb in batches:
        assert xb.shape[1:] == (1, 28, 28) and yb.shape == (len(xb),) and yb.dtype == torch.int64
    seen = torch.cat([yb for _, yb in batches])
    if not drop:
        assert sorted(seen.tolist()) == sorted(labels.tolist())  # every sample exactly once


def test_walker_steps_through_epochs_and_reshuffles(digits, mnist_pipeline):
    images, labels = digits
    ds = PipelineDataset(images, labels, mnist_pipeline, seed=0)
    walker = EpochWalker(make_loader(ds, 20, shuffle=True, drop_last=False, seed=3))
    first_epoch = [walker.next_batch() for _ in range(5)]
    assert [(b.epoch, b.iteration) for b in first_epoch] == [(1, i) for i in range(1, 6)]
    nxt = walker.next_batch()
    assert (nxt.epoch, nxt.iteration) == (2, 1)
    assert not torch.equal(nxt.labels, first_epoch[0].labels)  # a new order
    again = EpochWalker(make_loader(PipelineDataset(images, labels, mnist_pipeline, seed=0), 20, True, False, 3))
    b = again.next_batch()
    assert torch.equal(b.images, first_epoch[0].images) and torch.equal(b.labels, first_epoch[0].labels)


def test_without_shuffle_the_order_is_the_dataset_order(digits, mnist_pipeline):
    images, labels = digits
    walker = EpochWalker(make_loader(PipelineDataset(images, labels, mnist_pipeline), 20, False, False, 0))
    assert walker.next_batch().labels.tolist() == labels[:20].tolist()


def test_each_epoch_augments_differently_but_reproducibly(digits, mnist_pipeline):
    images, labels = digits
    ds = PipelineDataset(images, labels, mnist_pipeline, seed=0)
    a = ds[0][0]
    ds.epoch = 1
    b = ds[0][0]
    ds.epoch = 0
    assert torch.equal(ds[0][0], a) and not torch.equal(a, b)


def test_unstackable_samples_are_explained(digits):
    images, labels = digits
    with pytest.raises(TypeError) as pil_exc:
        next(iter(make_loader(PipelineDataset(images, labels, compose([])), 4, False, False, 0)))
    assert "ends with a PIL image" in loader_problem(pil_exc.value)
    photos, names_labels, names = dataset_arrays("Sample photos")
    assert len(photos) == len(names) and max(max(p.shape[:2]) for p in photos) <= 128
    to_tensor = compose(preset_steps("ImageNet evaluation")[2:4])  # ToImage, ToDtype: sizes differ
    with pytest.raises(RuntimeError) as size_exc:
        next(iter(make_loader(PipelineDataset(photos, names_labels, to_tensor), 6, False, False, 0)))
    assert "different sizes" in loader_problem(size_exc.value)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="labels"):
        PipelineDataset([np.zeros((2, 2), np.uint8)], np.array([1, 2]), compose([]))
    with pytest.raises(ValueError, match="unknown dataset source"):
        dataset_arrays("CIFAR")
