"""torchvision v2 random transforms that draw from a torch.Generator of their own instead of torch's global one.

torch's global generator is shared by every thread of the server, so two sessions running pipelines at once
would mix their random draws (or wait on each other behind a lock). Each class below is the torchvision class
with the same random calls, in the same order, each given `generator=self.generator`; the tests check that a
Generator seeded with s gives exactly what `torch.manual_seed(s)` gives the plain class, so the exported code
(plain v2 classes after torch.manual_seed) reproduces the page.

`use_generator(transform, g)` hands one generator to a built transform, a v2.Compose of them, or a Lambda
whose function takes `generator`. With no generator set, every class falls back to the global generator.
"""

import math
from functools import partial
from inspect import signature
from typing import Any

import torch
from torch.utils._pytree import tree_flatten, tree_unflatten
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F
from torchvision.transforms.v2._utils import query_chw, query_size


def _uniform(g: torch.Generator | None, lo: float, hi: float) -> float:
    return torch.empty(1).uniform_(lo, hi, generator=g).item()


def _randint(g: torch.Generator | None, lo: int, hi: int, size: tuple = (1,)) -> int:
    return int(torch.randint(lo, hi, size=size, generator=g))


class _Seeded:
    generator: torch.Generator | None = None


class _SeededCoin(_Seeded):
    """The p-coin of torchvision's _RandomApplyTransform.forward, drawn from self.generator."""

    def forward(self, *inputs: Any) -> Any:
        inputs = inputs if len(inputs) > 1 else inputs[0]
        flat_inputs, spec = tree_flatten(inputs)
        self.check_inputs(flat_inputs)
        if torch.rand(1, generator=self.generator) >= self.p:
            return inputs
        needs = self._needs_transform_list(flat_inputs)
        params = self.make_params([x for x, need in zip(flat_inputs, needs, strict=True) if need])
        flat_outputs = [self.transform(x, params) if need else x for x, need in zip(flat_inputs, needs, strict=True)]
        return tree_unflatten(flat_outputs, spec)


class RandomHorizontalFlip(_SeededCoin, v2.RandomHorizontalFlip):
    pass


class RandomVerticalFlip(_SeededCoin, v2.RandomVerticalFlip):
    pass


class RandomRotation(_Seeded, v2.RandomRotation):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        return dict(angle=_uniform(self.generator, self.degrees[0], self.degrees[1]))


class RandomAffine(_Seeded, v2.RandomAffine):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        g = self.generator
        height, width = query_size(flat_inputs)
        angle = _uniform(g, self.degrees[0], self.degrees[1])
        translate = (0, 0)
        if self.translate is not None:
            max_dx, max_dy = float(self.translate[0] * width), float(self.translate[1] * height)
            translate = (int(round(_uniform(g, -max_dx, max_dx))), int(round(_uniform(g, -max_dy, max_dy))))
        scale = _uniform(g, self.scale[0], self.scale[1]) if self.scale is not None else 1.0
        shear_x = shear_y = 0.0
        if self.shear is not None:
            shear_x = _uniform(g, self.shear[0], self.shear[1])
            if len(self.shear) == 4:
                shear_y = _uniform(g, self.shear[2], self.shear[3])
        return dict(angle=angle, translate=translate, scale=scale, shear=(shear_x, shear_y))


def _random_box(g, height: int, width: int, scale, log_ratio) -> tuple[int, int, int, int] | None:
    """(top, left, h, w) of a box of random area fraction and log aspect ratio (torchvision's ten tries)."""
    area = height * width
    for _ in range(10):
        target_area = area * _uniform(g, scale[0], scale[1])
        aspect_ratio = math.exp(_uniform(g, float(log_ratio[0]), float(log_ratio[1])))
        w = int(round(math.sqrt(target_area * aspect_ratio)))
        h = int(round(math.sqrt(target_area / aspect_ratio)))
        if 0 < w <= width and 0 < h <= height:
            return _randint(g, 0, height - h + 1), _randint(g, 0, width - w + 1), h, w
    return None


class RandomResizedCrop(_Seeded, v2.RandomResizedCrop):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        height, width = query_size(flat_inputs)
        box = _random_box(self.generator, height, width, self.scale, self._log_ratio)
        if box is None:  # torchvision's fallback: a central crop
            in_ratio = float(width) / float(height)
            if in_ratio < min(self.ratio):
                w, h = width, int(round(width / min(self.ratio)))
            elif in_ratio > max(self.ratio):
                h, w = height, int(round(height * max(self.ratio)))
            else:
                w, h = width, height
            box = ((height - h) // 2, (width - w) // 2, h, w)
        top, left, h, w = box
        return dict(top=top, left=left, height=h, width=w)


class RandomCrop(_Seeded, v2.RandomCrop):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        padded_height, padded_width = query_size(flat_inputs)
        pad_left, pad_right, pad_top, pad_bottom = self.padding if self.padding is not None else (0, 0, 0, 0)
        padded_height += pad_top + pad_bottom
        padded_width += pad_left + pad_right
        cropped_height, cropped_width = self.size
        if self.pad_if_needed:
            if padded_height < cropped_height:
                diff = cropped_height - padded_height
                pad_top, pad_bottom, padded_height = pad_top + diff, pad_bottom + diff, padded_height + 2 * diff
            if padded_width < cropped_width:
                diff = cropped_width - padded_width
                pad_left, pad_right, padded_width = pad_left + diff, pad_right + diff, padded_width + 2 * diff
        if padded_height < cropped_height or padded_width < cropped_width:
            raise ValueError(f"Required crop size {(cropped_height, cropped_width)} is larger than "
                             f"{'padded ' if self.padding is not None else ''}input image size "
                             f"{(padded_height, padded_width)}.")
        padding = [pad_left, pad_top, pad_right, pad_bottom]
        g = self.generator
        top = _randint(g, 0, padded_height - cropped_height + 1, ()) if padded_height > cropped_height else 0
        left = _randint(g, 0, padded_width - cropped_width + 1, ()) if padded_width > cropped_width else 0
        return dict(needs_crop=padded_height > cropped_height or padded_width > cropped_width, top=top, left=left,
                    height=cropped_height, width=cropped_width, needs_pad=any(padding), padding=padding)


class RandomPerspective(_SeededCoin, v2.RandomPerspective):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        g = self.generator
        height, width = query_size(flat_inputs)
        bound_height = int(self.distortion_scale * (height // 2)) + 1
        bound_width = int(self.distortion_scale * (width // 2)) + 1
        topleft = [_randint(g, 0, bound_width), _randint(g, 0, bound_height)]
        topright = [_randint(g, width - bound_width, width), _randint(g, 0, bound_height)]
        botright = [_randint(g, width - bound_width, width), _randint(g, height - bound_height, height)]
        botleft = [_randint(g, 0, bound_width), _randint(g, height - bound_height, height)]
        startpoints = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]
        coefficients = F._geometry._get_perspective_coeffs(startpoints, [topleft, topright, botright, botleft])
        return dict(coefficients=coefficients)


class ElasticTransform(_Seeded, v2.ElasticTransform):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        height, width = query_size(flat_inputs)
        fields = []
        for axis, extent in ((0, width), (1, height)):
            d = torch.rand(1, 1, height, width, generator=self.generator) * 2 - 1
            if self.sigma[axis] > 0.0:
                k = int(8 * self.sigma[axis] + 1)
                k += k % 2 == 0
                d = self._call_kernel(F.gaussian_blur, d, [k, k], list(self.sigma))
            fields.append(d * self.alpha[axis] / extent)
        return dict(displacement=torch.concat(fields, 1).permute([0, 2, 3, 1]))  # 1 x H x W x 2


class ColorJitter(_Seeded, v2.ColorJitter):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        g = self.generator
        fn_idx = torch.randperm(4, generator=g)
        b, c, s, h = (None if r is None else _uniform(g, r[0], r[1])
                      for r in (self.brightness, self.contrast, self.saturation, self.hue))
        return dict(fn_idx=fn_idx, brightness_factor=b, contrast_factor=c, saturation_factor=s, hue_factor=h)


class GaussianBlur(_Seeded, v2.GaussianBlur):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        sigma = _uniform(self.generator, self.sigma[0], self.sigma[1])
        return dict(sigma=[sigma, sigma])


class RandomErasing(_SeededCoin, v2.RandomErasing):
    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        g = self.generator
        img_c, img_h, img_w = query_chw(flat_inputs)
        if self.value is not None and len(self.value) not in (1, img_c):
            raise ValueError(f"If value is a sequence, it should have either a single value or {img_c} "
                             "(number of inpt channels)")
        area = img_h * img_w
        for _ in range(10):
            erase_area = area * _uniform(g, self.scale[0], self.scale[1])
            aspect_ratio = math.exp(_uniform(g, float(self._log_ratio[0]), float(self._log_ratio[1])))
            h = int(round(math.sqrt(erase_area * aspect_ratio)))
            w = int(round(math.sqrt(erase_area / aspect_ratio)))
            if not (h < img_h and w < img_w):
                continue
            if self.value is None:
                v = torch.empty([img_c, h, w], dtype=torch.float32).normal_(generator=g)
            else:
                v = torch.tensor(self.value)[:, None, None]
            return dict(i=_randint(g, 0, img_h - h + 1), j=_randint(g, 0, img_w - w + 1), h=h, w=w, v=v)
        return dict(i=0, j=0, h=img_h, w=img_w, v=None)


def use_generator(transform, generator: torch.Generator) -> None:
    """Make `transform` (one step, or a v2.Compose of steps) draw from `generator`, in place."""
    if isinstance(transform, v2.Compose):
        for t in transform.transforms:
            use_generator(t, generator)
    elif isinstance(transform, v2.Lambda) and isinstance(transform.lambd, partial):
        if "generator" in signature(transform.lambd.func).parameters:
            transform.lambd = partial(transform.lambd.func, **{**transform.lambd.keywords, "generator": generator})
    elif hasattr(transform, "generator"):
        transform.generator = generator


def seeded_generator(seed: int) -> torch.Generator:
    """A CPU generator in the state torch.manual_seed(seed) leaves the global one in."""
    return torch.Generator().manual_seed(int(seed))
