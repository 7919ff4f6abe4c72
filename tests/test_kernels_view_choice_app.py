"""Kernels: with "to suit the kernel" the page picks the output view from the kernel and says why, on the page."""

import pytest

from app.pages.kernels import state
from tests.conftest import app_at

PAGE = "pages/kernels/page.py"


def _text(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at, kind))


@pytest.mark.parametrize(("preset", "said"), [
    ("sobel x", "a derivative kernel): flat areas give 0 and edges give positive or negative values, so the output "
                "is shown signed: blue < 0 < red"),
    ("box blur", "(a smoothing kernel): outputs stay in 0..1, so they are shown in grey like the input."),
])
def test_the_view_suits_the_kernel_and_the_page_says_why(preset, said):
    at = app_at(PAGE)
    assert not at.exception, at.exception
    if at.selectbox(key=state.KERN_PRESET).value != preset:
        at.selectbox(key=state.KERN_PRESET).set_value(preset).run()
    assert not at.exception, at.exception
    assert said in _text(at)
    other = "so they are shown in grey" if preset == "sobel x" else "so the output is shown signed"
    assert other not in _text(at)  # one view, one reason
