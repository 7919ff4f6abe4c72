"""The one resource policy every page uses before running work a student designed.

A class shares one server, so every interaction is estimated before it runs and refused, with a message
that names what makes it too big, when it would cost more than `MAX_EXTRA_BYTES` of memory or
`MAX_CPU_SECONDS` of CPU. Estimates are deliberately simple (sizes of the tensors that must exist at once,
multiply-adds at an assumed rate) and are checked against measurements in tests/.
"""

import time
import zlib
from dataclasses import dataclass

MAX_EXTRA_BYTES = 500 * 2**20  # per interaction
MAX_CPU_SECONDS = 5.0  # per interaction
MAX_TRAINING_SECONDS = 900.0  # per training run: it runs in its own process but holds one of few training slots
MAX_DECOMPRESSED_BYTES = 64 * 2**10  # a share link or pipeline file, after decompression
ASSUMED_FLOPS_PER_SECOND = 2e9  # one core of this class of laptop, float32 conv, conservative


class ResourceLimitError(ValueError):
    """Work refused before it ran; `str(err)` is a message a student can act on."""


@dataclass(frozen=True)
class Cost:
    """Estimated cost of one piece of work: peak extra memory in bytes and floating-point operations."""

    bytes: int
    flops: float
    what: str = "this"

    @property
    def seconds(self) -> float:
        return self.flops / ASSUMED_FLOPS_PER_SECOND

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(self.bytes + other.bytes, self.flops + other.flops, self.what)


def mib(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:,.0f} MB"


def check(cost: Cost, max_bytes: int = MAX_EXTRA_BYTES, max_seconds: float = MAX_CPU_SECONDS,
          per: str = "per interaction") -> Cost:
    """Return `cost` if it fits the budget, else raise ResourceLimitError naming `cost.what`."""
    if cost.bytes > max_bytes:
        raise ResourceLimitError(
            f"{cost.what} would need about {mib(cost.bytes)} of memory; the limit {per} on this "
            f"shared server is {mib(max_bytes)}. Make it smaller (fewer channels, a smaller input or batch).")
    if cost.seconds > max_seconds:
        raise ResourceLimitError(
            f"{cost.what} would take about {cost.seconds:,.0f} s of computing; the limit {per} on "
            f"this shared server is {max_seconds:g} s. Make it smaller.")
    return cost


def decompress_bounded(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """zlib-decompress at most `limit` bytes; raise ResourceLimitError for more (a 'zip bomb' link)."""
    decompressor = zlib.decompressobj()
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as err:
        raise ValueError(f"the data is damaged ({err})") from None
    if len(out) > limit or decompressor.unconsumed_tail:
        raise ResourceLimitError(f"the data unpacks to more than {limit // 1024} KB, more than any real "
                                 "setting needs; it was not read.")
    return out


class CpuBudget:
    """Cooperative CPU-time budget for a loop of steps: call `tick(what)` between steps.

    Uses this thread's CPU time, so another session's load does not count against it.
    """

    def __init__(self, seconds: float = MAX_CPU_SECONDS):
        self.seconds = seconds
        self.start = time.thread_time()

    @property
    def used(self) -> float:
        return time.thread_time() - self.start

    def tick(self, what: str = "this") -> None:
        if self.used > self.seconds:
            raise ResourceLimitError(
                f"{what} used more than {self.seconds:g} s of computing, the limit per interaction on this "
                "shared server; it was stopped. Make it lighter (fewer or cheaper steps, a smaller image).")
