"""One way to name content for caches and widget keys: a short blake2b digest."""

import hashlib

import numpy as np


def content_id(*parts: bytes | str | np.ndarray | tuple | int | float, size: int = 12) -> str:
    """Hex digest of the parts, in order. Arrays contribute their dtype, shape and bytes.

    >>> content_id(b"a") == content_id(b"a") != content_id(b"b")
    True
    """
    digest = hashlib.blake2b(digest_size=size)
    for part in parts:
        if isinstance(part, np.ndarray):
            array = np.ascontiguousarray(part)
            digest.update(f"{array.dtype}{array.shape}".encode())
            digest.update(array.tobytes())
        elif isinstance(part, bytes):
            digest.update(part)
        else:
            digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()
