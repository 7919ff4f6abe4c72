"""Reading a drawing as data: anything the canvas (or a test) hands over becomes a prepared digit or a
plain message. Never raises."""

import logging

import numpy as np

from models.preprocess import DigitError, PreparedDigit, prepare_digit
from models.resource_policy import Cost, ResourceLimitError, check

log = logging.getLogger(__name__)
BYTES_PER_PIXEL = 16  # float32 copies made while preparing (grey, ink, shrink), with room to spare
COVERED = 0.6  # share of a canvas drawing (dark ink on white) that is ink, above which it is no digit
COVERED_MESSAGE = ("Almost the whole canvas is ink. The network has to pick one of ten digits; this doesn't look "
                   "like any of them. Clear the canvas and draw one digit.")


def _covered(pixels) -> bool:
    """A canvas drawing (uint8 (H, W), dark ink on white) that is mostly ink: preprocessing, which accepts
    either polarity, would take it for a blank page or read the leftover white as the digit."""
    return (getattr(pixels, "dtype", None) == np.uint8 and getattr(pixels, "ndim", 0) == 2 and pixels.size > 0
            and float((pixels < 128).mean()) > COVERED)


def read_drawing(pixels) -> tuple[PreparedDigit | None, str | None]:
    """(prepared digit, None), or (None, a sentence saying why the drawing cannot be read)."""
    if pixels is None:
        return None, None
    try:
        size = int(getattr(pixels, "size", 0) or 0)
        check(Cost(size * BYTES_PER_PIXEL, size * 50.0, "this drawing"))
        if _covered(pixels):
            return None, COVERED_MESSAGE
        return prepare_digit(pixels), None
    except (DigitError, ResourceLimitError) as exc:
        return None, f"That drawing could not be read: {exc}"
    except (TypeError, ValueError, OverflowError, MemoryError, AttributeError, IndexError) as exc:
        log.warning("unreadable drawing %s %s: %s", type(pixels).__name__, getattr(pixels, "shape", "?"), exc)
        return None, "That drawing could not be read: it is not a picture of a digit."
