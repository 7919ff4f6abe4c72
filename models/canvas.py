"""Canvas-style digits: MNIST digits re-drawn the way people draw in the browser.

Each digit is thinned to a 1-px skeleton (Zhang-Suen), then the skeleton is redrawn on a
280x280 black canvas with a round brush of uniform width (like the app's canvas), tilted,
sheared, made shaky and placed off-centre, and finally passed through prepare_digit, exactly
the path a drawing takes in the app. Used to train (re-stroked training digits) and to measure
(re-stroked TEST digits) how the model holds up on canvas drawings.
"""

import numpy as np
from PIL import Image, ImageDraw

from models.preprocess import prepare_digit

CANVAS = 280


def skeletonize(binary: np.ndarray, max_iter: int = 30) -> np.ndarray:
    """Zhang-Suen thinning of a batch of binary images (N,H,W) bool -> (N,H,W) bool skeletons."""
    img = np.pad(np.asarray(binary, bool), ((0, 0), (1, 1), (1, 1)))
    for _ in range(max_iter):
        changed = False
        for step in (0, 1):
            p = img.astype(np.uint8)
            c = p[:, 1:-1, 1:-1]
            n2, n3, n4 = p[:, :-2, 1:-1], p[:, :-2, 2:], p[:, 1:-1, 2:]
            n5, n6, n7 = p[:, 2:, 2:], p[:, 2:, 1:-1], p[:, 2:, :-2]
            n8, n9 = p[:, 1:-1, :-2], p[:, :-2, :-2]
            ring = [n2, n3, n4, n5, n6, n7, n8, n9, n2]
            b = n2 + n3 + n4 + n5 + n6 + n7 + n8 + n9
            a = sum(((ring[i] == 0) & (ring[i + 1] == 1)).astype(np.uint8) for i in range(8))
            if step == 0:
                cond = (n2 * n4 * n6 == 0) & (n4 * n6 * n8 == 0)
            else:
                cond = (n2 * n4 * n8 == 0) & (n2 * n6 * n8 == 0)
            remove = (c == 1) & (b >= 2) & (b <= 6) & (a == 1) & cond
            if remove.any():
                img[:, 1:-1, 1:-1] &= ~remove
                changed = True
        if not changed:
            break
    return img[:, 1:-1, 1:-1]


def _segments(skel: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Skeleton (H,W) -> points (K,2) as (x, y) and index pairs of 8-connected neighbours."""
    ys, xs = np.nonzero(skel)
    index = -np.ones(skel.shape, np.int64)
    index[ys, xs] = np.arange(len(ys))
    pairs = []
    h, w = skel.shape
    for k, (y, x) in enumerate(zip(ys, xs, strict=True)):
        for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
            yy, xx = y + dy, x + dx
            if 0 <= yy < h and 0 <= xx < w and index[yy, xx] >= 0:
                if dy == 1 and dx != 0 and (skel[y, xx] or skel[yy, x]):
                    continue  # the two orthogonal steps already join them
                pairs.append((k, int(index[yy, xx])))
    return np.stack([xs, ys], 1).astype(np.float64), pairs


def _smooth(pts: np.ndarray, pairs: list[tuple[int, int]], rounds: int = 2) -> np.ndarray:
    """Pull each point halfway to its neighbours' mean: turns pixel stair-steps into a smooth stroke."""
    if not pairs:
        return pts
    i, j = np.array(pairs).T
    for _ in range(rounds):
        total, count = np.zeros_like(pts), np.zeros(len(pts))
        np.add.at(total, i, pts[j])
        np.add.at(total, j, pts[i])
        np.add.at(count, i, 1)
        np.add.at(count, j, 1)
        has = count > 0
        pts = pts.copy()
        pts[has] = 0.5 * pts[has] + 0.5 * total[has] / count[has, None]
    return pts


def draw_skeleton(skel: np.ndarray, rng: np.random.Generator, brush: float | None = None) -> Image.Image:
    """Draw one skeleton (H,W) bool on a CANVAS x CANVAS 'L' image, white ink on black,
    with a random tilt, shear, size, position, shake and brush width (18-24 px by default)."""
    pts, pairs = _segments(skel)
    canvas = Image.new("L", (CANVAS, CANVAS), 0)
    if len(pts) == 0:
        return canvas
    brush = float(rng.uniform(16, 26) if brush is None else brush)
    pts = _smooth(pts, pairs) - pts.mean(0)
    angle = np.deg2rad(rng.uniform(-18, 18))
    shear = rng.uniform(-0.25, 0.25)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    pts = pts @ (rot @ np.array([[1.0, shear], [0.0, 1.0]])).T
    height = max(float(np.ptp(pts[:, 1])), float(np.ptp(pts[:, 0])) * 0.6, 1.0)
    target = rng.uniform(90, 230)
    pts = pts * (target / height) * np.array([rng.uniform(0.8, 1.2), 1.0])
    # shaky hand: smooth low-frequency wobble of a few canvas pixels
    amp, freq, phase = rng.uniform(0, 5, 2), rng.uniform(0.01, 0.04, 2), rng.uniform(0, 2 * np.pi, 2)
    pts = pts + amp * np.sin(freq * pts[:, ::-1] + phase)
    pts = pts + rng.normal(0, 0.5, pts.shape)
    lo, hi = pts.min(0) - brush / 2, pts.max(0) + brush / 2
    room_lo, room_hi = -lo, CANVAS - hi  # allowed shifts that keep the digit on the canvas
    shift = np.where(room_hi > room_lo, rng.uniform(room_lo, np.maximum(room_hi, room_lo + 1e-6)),
                     (room_lo + room_hi) / 2)
    pts = pts + shift
    draw = ImageDraw.Draw(canvas)
    r = brush / 2
    for i, j in pairs:
        draw.line([tuple(pts[i]), tuple(pts[j])], fill=255, width=int(round(brush)))
    for x, y in pts:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
    return canvas


def restroke_batch(images: np.ndarray, seed: int = 0, threshold: int = 100) -> np.ndarray:
    """MNIST digits (N,28,28) uint8 -> canvas-style re-drawn digits (N,28,28) uint8 through prepare_digit."""
    rng = np.random.default_rng(seed)
    skeletons = skeletonize(np.asarray(images) > threshold)
    out = np.zeros((len(images), 28, 28), np.uint8)
    for k, skel in enumerate(skeletons):
        prepared = prepare_digit(draw_skeleton(skel, rng))
        out[k] = prepared.stages["centred"]
    return out


def canvas_test_set(images: np.ndarray, labels: np.ndarray, n: int = 2000,
                    seed: int = 1234) -> tuple[np.ndarray, np.ndarray]:
    """A stratified, seeded canvas-style set from MNIST TEST digits -> (images (n,28,28) uint8, labels)."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    per_class = max(1, n // 10)
    idx = np.sort(np.concatenate([
        rng.choice(np.flatnonzero(labels == c), min(per_class, int((labels == c).sum())), replace=False)
        for c in range(10)]))
    return restroke_batch(images[idx], seed=seed), labels[idx].astype(np.int64)
