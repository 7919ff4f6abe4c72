"""Checks run before a step: why it cannot run here (an error) or what it will silently do (warnings).

torchvision sometimes fails with a terse message and sometimes does something surprising without a word
(Normalize broadcasting 3 means over 1 channel, RandomErasing skipping PIL images, ToDtype leaving PIL
images alone). These checks say it in a student's terms, at the step where it happens.
"""

import torch
from PIL import Image


def _size_and_channels(x) -> tuple[int, int, int]:
    """(H, W, C) of a PIL image or a (C, H, W) tensor."""
    if isinstance(x, Image.Image):
        return x.height, x.width, len(x.getbands())
    return int(x.shape[-2]), int(x.shape[-1]), int(x.shape[-3]) if x.ndim >= 3 else 1


def _max(x) -> float:
    return float(x.as_subclass(torch.Tensor).detach().numpy().max())


def _min(x) -> float:
    return float(x.as_subclass(torch.Tensor).detach().numpy().min())


def check_step(step: dict, x) -> tuple[str, list[str]]:
    """(error message or "", warnings) for running `step` on input x (PIL image or tensor)."""
    name, p = step["name"], step["params"]
    is_pil = isinstance(x, Image.Image)
    h, w, c = _size_and_channels(x)
    warnings: list[str] = []
    if name == "Normalize":
        if is_pil:
            return ("Normalize needs a float tensor, but this step receives a PIL image. Put ToImage and "
                    "ToDtype(float32, scale=True) before Normalize."), warnings
        if not x.dtype.is_floating_point:
            return (f"Normalize needs floats in 0..1, but the tensor here is {str(x.dtype).replace('torch.', '')} "
                    "(values 0..255): it has not been converted to float yet. Put ToDtype(float32, scale=True) "
                    "before Normalize."), warnings
        for what in ("mean", "std"):
            n = len(p[what])
            if n not in (1, c):
                return (f"Normalize has {n} {what} values (one per channel) but the image has {c} "
                        f"channel{'s' if c != 1 else ''} at this point"
                        f"{' (a grey image, or after Grayscale)' if c == 1 else ''}. Give {c} {what} value"
                        f"{'s' if c != 1 else ''}, or change the channel count before Normalize."), warnings
        if _max(x) > 1.5:
            warnings.append(f"Values here go up to {_max(x):.0f}, not 1: ToDtype ran without scale=True, "
                            "so Normalize's ImageNet-style mean/std do not fit.")
    elif name == "RandomErasing" and is_pil:
        return ("RandomErasing only works on tensors; on a PIL image torchvision would skip it without a word. "
                "Put it after ToImage (and ToDtype)."), warnings
    elif name == "RandomCrop":
        size, pad = p["size"], p["padding"]
        if not p["pad_if_needed"] and (size > h + 2 * pad or size > w + 2 * pad):
            return (f"The crop ({size}x{size}) is larger than the image here ({w}x{h}"
                    f"{f' after padding {pad}' if pad else ''}). Make the crop smaller, resize first, or turn on "
                    "pad_if_needed."), warnings
    elif name == "CenterCrop" and (p["size"] > h or p["size"] > w):
        warnings.append(f"The crop ({p['size']}x{p['size']}) is larger than the image ({w}x{h}): "
                        "CenterCrop pads the missing border with black.")
    elif name == "GaussianBlur":
        k = p["kernel_size"]
        if k % 2 == 0:
            return f"GaussianBlur needs an odd kernel_size (3, 5, 7, ...), got {k}.", warnings
        if k // 2 >= min(h, w):
            return (f"The blur kernel ({k}x{k}) is too big for a {w}x{h} image: its half-width must be smaller "
                    "than the image. Use a smaller kernel_size."), warnings
    elif name == "ElasticTransform":
        k = int(8 * p["sigma"] + 1) | 1  # torchvision blurs the random field with this odd kernel
        if k // 2 >= min(h, w):
            return (f"With sigma {p['sigma']:g}, ElasticTransform smooths its random field with a {k}x{k} kernel, "
                    f"too big for a {w}x{h} image. Use a smaller sigma (at most {max(0.5, (min(h, w) - 1) / 4):g}"
                    ") or a larger image."), warnings
    elif name == "ToDtype" and is_pil:
        warnings.append("ToDtype leaves PIL images unchanged (it only converts tensors): put ToImage before it.")
    elif name == "ToImage" and not is_pil:
        warnings.append("The input is already a tensor; ToImage only re-labels it as tv_tensors.Image.")
    elif name == "ToPILImage":
        if is_pil:
            return "The image is already a PIL image; ToPILImage needs a tensor.", warnings
        if x.dtype.is_floating_point and (_min(x) < 0 or _max(x) > 1):
            warnings.append("ToPILImage expects floats in 0..1; values outside are wrapped or cut when "
                            "converting to 0..255.")
        if c not in (1, 3, 4):
            return f"ToPILImage needs 1, 3 or 4 channels, got {c}.", warnings
    elif name in ("Resize", "RandomResizedCrop") and x is not None and not is_pil and \
            not x.dtype.is_floating_point and x.dtype != torch.uint8:
        warnings.append("Resizing integer tensors other than uint8 rounds the values.")
    return "", warnings
