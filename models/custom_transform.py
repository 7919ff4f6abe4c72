"""A hand-written torchvision v2 transform: the example of writing your own.

v2 splits every random transform in two. `make_params` draws the random choices once per call (so an image
and its boxes or masks get the SAME choices), and `transform` applies them to each input. ConvLab records
what `make_params` returned to show the parameters each random step actually sampled.
"""

import torch
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F


class RandomSaltAndPepper(v2.Transform):
    """With probability p, set a random fraction `amount` of pixels to black (pepper) or white (salt).

    Works on PIL images, uint8 tensors (C, H, W) and float tensors (C, H, W) in 0..1.
    """

    def __init__(self, amount: float = 0.05, p: float = 1.0):
        super().__init__()
        if not 0.0 <= amount <= 1.0:
            raise ValueError(f"amount must be between 0 and 1, got {amount}")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be between 0 and 1, got {p}")
        self.amount = amount
        self.p = p
        self.generator = None  # a torch.Generator to draw from; None: torch's global generator

    def make_params(self, flat_inputs):
        """Draw the random choices: apply or not, which pixels are hit, and salt or pepper for each."""
        height, width = v2.query_size(flat_inputs)
        g = self.generator
        apply = bool(torch.rand(1, generator=g) < self.p)
        hit = torch.rand(height, width, generator=g) < self.amount
        salt = torch.rand(height, width, generator=g) < 0.5
        return dict(apply=apply, hit=hit, salt=salt)

    def transform(self, inpt, params):
        """Apply the drawn choices to one input (the same for every input of one call)."""
        if not params["apply"]:
            return inpt
        is_pil = not isinstance(inpt, torch.Tensor)
        x = F.pil_to_tensor(inpt) if is_pil else inpt.as_subclass(torch.Tensor)
        white = 1.0 if x.dtype.is_floating_point else 255
        out = x.clone()
        out[:, params["hit"] & params["salt"]] = white
        out[:, params["hit"] & ~params["salt"]] = 0
        if is_pil:
            return F.to_pil_image(out)
        return tv_tensors.Image(out) if isinstance(inpt, tv_tensors.Image) else out
