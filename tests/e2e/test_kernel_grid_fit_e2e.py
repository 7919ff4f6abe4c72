"""Every number in the Kernels weight grid is shown whole, for large kernels, at 1024x768 projector and 1366x768."""

import pytest

from testkit.browser import SCREENSHOTS, goto, no_exceptions, shot

pytestmark = pytest.mark.e2e

CELLS = '[data-testid="kernel-grid"] input[data-r]'
CUT_CELLS_JS = """(cells) => cells
  .filter((i) => i.scrollWidth > i.clientWidth + 1)
  .map((i) => `row ${+i.dataset.r + 1} col ${+i.dataset.c + 1}: "${i.value}" needs ${i.scrollWidth} px, has ${i.clientWidth}`)"""


@pytest.mark.parametrize(("viewport", "query"), [
    ({"width": 1024, "height": 768}, "projector=1"),
    ({"width": 1366, "height": 768}, ""),
], ids=["1024-projector", "1366-normal"])
@pytest.mark.parametrize("size", [5, 7, 11])
def test_large_kernels_show_every_digit(page, live_server, viewport, query, size):
    page.set_viewport_size(viewport)
    goto(page, live_server, "kernels", f"{query}&preset=gaussian&size={size}&sigma=3".lstrip("&"))
    page.locator(CELLS).first.wait_for(timeout=30_000)
    assert page.locator(CELLS).count() == size * size
    no_exceptions(page)
    cut = page.locator(CELLS).evaluate_all(CUT_CELLS_JS)
    page.locator(CELLS).first.scroll_into_view_if_needed()
    name = f"kernel_grid_{size}x{size}_{viewport['width']}{'_projector' if query else ''}"
    shot(page, name)
    page.locator('[data-testid="kernel-grid"]').screenshot(path=SCREENSHOTS / f"{name}_grid.png")
    assert not cut, "cut numbers in the weight grid:\n" + "\n".join(cut)
    box = page.locator('[data-testid="kernel-grid"]').bounding_box()
    assert box["x"] + box["width"] <= page.evaluate("document.documentElement.clientWidth") + 1, "grid off the page"
