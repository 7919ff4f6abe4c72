"""The DataLoader tab's minibatches: the session's walk through the epochs, the minibatch shown, and the next
one made ahead of time.

Like a DataLoader's own prefetching, the next minibatch (with its picture) is made at the end of the run that
shows the current one, while the student looks at it, so "Next minibatch" only has to show it. The walker is
sequential, so the minibatches shown are exactly those an on-demand walk shows, errors included."""

from dataclasses import dataclass

import streamlit as st

from app.pages.transforms import cache, state
from components.theme import projector
from components.transform_batch import batch_grid
from components.transform_cards import encode_png, png_tag
from models.digit_dataset import Batch, EpochWalker, PipelineDataset, make_loader, subset
from models.pipeline import compose, viewing_norm
from models.pipeline_io import encode_url
from models.stage_view import display_array

AHEAD_MAX_BYTES = 16 * 2**20  # bigger minibatches (many photos) are made on demand: no second one is held


@dataclass
class Made:
    """A minibatch with its picture (HTML, drawn for projector mode or not), or what making it raised."""
    batch: Batch | None
    picture: str = ""
    projector: bool = False
    error: Exception | None = None


@dataclass
class Walk:
    signature: tuple  # the settings this walk belongs to
    walker: EpochWalker
    current: Made  # the minibatch on screen
    ahead: Made | None = None  # the next one, made ahead


def _picture(batch: Batch, steps: list[dict], source: str) -> str:
    """The first 64 images of the batch, labelled, as one inline PNG (HTML)."""
    _, _, names = cache.dataset_arrays(source)
    views = [display_array(x, viewing_norm(steps))[0] for x in batch.images[:64]]
    tiles = batch_grid(views, [names[int(y)] for y in batch.labels[:64]])
    picture = png_tag(encode_png(tiles), tiles.shape[:2], f"minibatch {batch.iteration}",
                      "display:block;max-width:100%;height:auto")
    caption = '<div style="font-size:.875rem;opacity:.7">first 64 of the batch</div>' if len(views) < len(
        batch.images) else ""
    return f'<div data-testid="tf-batch">{picture}{caption}</div>'


def _make(walker: EpochWalker, steps: list[dict], source: str) -> Made:
    batch = walker.next_batch()
    return Made(batch, _picture(batch, steps, source), projector())


def walk(steps: list[dict], settings: tuple, restart: bool) -> Walk:
    """The session's walk for these settings (a new one, on batch 1, when anything changed or on restart).
    settings: (source, n, batch_size, seed, shuffle, drop_last). Loader errors propagate."""
    source, n, batch, seed, shuffle, drop = settings
    signature = (*settings, encode_url(steps, 0))
    held = st.session_state.get(state.DS_WALKER)
    if isinstance(held, Walk) and held.signature == signature and not restart:
        return held
    images, labels, _ = cache.dataset_arrays(source)
    images, labels = subset(images, labels, n)
    walker = EpochWalker(make_loader(PipelineDataset(images, labels, compose(steps), seed), batch, shuffle, drop,
                                     seed))
    held = st.session_state[state.DS_WALKER] = Walk(signature, walker, _make(walker, steps, source))
    return held


def advance(held: Walk, steps: list[dict]) -> None:
    """Move on to the next minibatch: the one made ahead (raising what making it raised), else a new one."""
    ahead, held.ahead = held.ahead, None
    if ahead is None:
        ahead = _make(held.walker, steps, held.signature[0])
    if ahead.error is not None:
        raise ahead.error
    held.current = ahead


def make_ahead(held: Walk, steps: list[dict]) -> None:
    """Make the next minibatch now, while the current one is on screen (small minibatches only)."""
    if held.ahead is not None or held.current.batch.images.element_size() * held.current.batch.images.nelement() \
            > AHEAD_MAX_BYTES:
        return
    try:
        held.ahead = _make(held.walker, steps, held.signature[0])
    except Exception as exc:  # noqa: BLE001 - raised again by advance(), when the student asks for this batch
        held.ahead = Made(None, error=exc)


def show(held: Walk, steps: list[dict], iters: int) -> None:
    """The current minibatch: epoch and iteration, shapes, the picture and the labels."""
    made = held.current
    if made.projector != projector():  # the picture's tile size follows the mode
        made.picture, made.projector = _picture(made.batch, steps, held.signature[0]), projector()
    b = made.batch
    st.markdown(f"**Epoch {b.epoch}, iteration {b.iteration} of {iters}**  \n"
                f"batch tensor `images.shape = {tuple(b.images.shape)}` (B, C, H, W), "
                f"`{str(b.images.dtype).replace('torch.', '')}`")
    st.html(made.picture)  # inline: no second request
    if viewing_norm(steps):
        st.caption("Images de-normalised for viewing.")
    st.markdown(f"label tensor `{b.labels.tolist()}`")
