"""components.theme: one figure text size, read from projector mode; lookup tables built from the colour stops."""

import numpy as np
import plotly.graph_objects as go
import pytest
import streamlit as st

from components import theme


@pytest.fixture
def projector_mode():
    def set_mode(on: bool) -> None:
        st.session_state[theme.PROJECTOR_KEY] = on

    yield set_mode
    st.session_state.pop(theme.PROJECTOR_KEY, None)


def test_figure_text_is_readable_in_both_modes():
    with theme.using(True):
        big = theme.font_size()
    with theme.using(False):
        small = theme.font_size()
    assert big >= 18  # read from the back row at 1024 px wide
    assert small >= 12
    assert big >= 1.4 * small - 0.5  # grows like the page text


def test_defaults_follow_the_session_projector_mode(projector_mode):
    projector_mode(True)
    assert (theme.projector(), theme.font_size(), theme.line_width()) == (True, theme.FIGURE_TEXT_PX_PROJECTOR, 4.0)
    projector_mode(False)
    assert (theme.projector(), theme.font_size(), theme.line_width()) == (False, theme.FIGURE_TEXT_PX, 2.0)


def test_the_context_wins_over_the_session_and_is_restored_after_the_block(projector_mode):
    projector_mode(False)
    with theme.using(True):
        assert (theme.projector(), theme.font_size(), theme.line_width(), theme.marker_size()) == (
            True, theme.FIGURE_TEXT_PX_PROJECTOR, 4.0, 12)
        with theme.using(False):  # nested blocks: the innermost wins, the outer comes back
            assert (theme.projector(), theme.font_size()) == (False, theme.FIGURE_TEXT_PX)
        assert theme.projector() is True
    assert (theme.projector(), theme.font_size()) == (False, theme.FIGURE_TEXT_PX)
    projector_mode(True)
    with pytest.raises(RuntimeError), theme.using(False):
        assert theme.projector() is False
        raise RuntimeError  # an error inside the block restores the session's mode too
    assert (theme.projector(), theme.font_size()) == (True, theme.FIGURE_TEXT_PX_PROJECTOR)


def test_the_context_does_not_leak_into_other_threads():
    from concurrent.futures import ThreadPoolExecutor

    with theme.using(True), ThreadPoolExecutor(1) as pool:  # another session's script thread
        assert pool.submit(theme.projector).result() is False


def test_style_figure_uses_the_theme_size(projector_mode):
    projector_mode(True)
    fig = theme.style_figure(go.Figure(go.Scatter(x=[0, 1], y=[1, 0], mode="lines+markers")))
    assert fig.layout.font.size == theme.FIGURE_TEXT_PX_PROJECTOR
    assert fig.data[0].line.width == 4.0 and fig.data[0].marker.size == 12


@pytest.mark.parametrize("on", [False, True])
def test_figures_built_in_the_context_equal_those_built_from_the_session(projector_mode, on):
    """A cached builder run inside using(mode) draws exactly what the session in that mode would draw."""
    from components.anatomy_depth_svg import depth_svg
    from components.anatomy_figures import curves_figure
    from components.kernel_figures import gaussian_profile, kernel_heatmap
    from components.kernel_grids import grid_html

    def build():
        return (depth_svg(["in", "conv"], [28, 26], [1, 8], width=600),
                grid_html(np.array([[1.0, -2.0], [0.5, 0.0]]), "w", True),
                curves_figure([(1, 0.5, 0.3), (2, 0.4, 0.5)], [(2, 0.45, 0.5)], [2]).to_plotly_json(),
                kernel_heatmap(np.eye(3)).to_plotly_json(),
                gaussian_profile(np.hanning(5), 1.0).to_plotly_json())

    projector_mode(on)
    from_session = build()
    projector_mode(not on)
    with theme.using(on):
        assert build() == from_session
    assert build() != from_session  # the mode changes these figures, so the comparison can fail


def test_lookup_tables_hit_every_colour_stop():
    for stops, lut in ((theme.DIVERGING, theme.DIVERGING_LUT), (theme.SEQUENTIAL, theme.SEQUENTIAL_LUT)):
        assert lut.shape == (256, 3) and lut.dtype == np.uint8 and not lut.flags.writeable
        for i, colour in enumerate(stops):
            rgb = [int(colour[j:j + 2], 16) for j in (1, 3, 5)]
            at = round(i / (len(stops) - 1) * 255)
            assert np.abs(lut[at].astype(int) - rgb).max() <= 12, (colour, lut[at])
        assert list(lut[0]) == [int(stops[0][j:j + 2], 16) for j in (1, 3, 5)]
        assert list(lut[-1]) == [int(stops[-1][j:j + 2], 16) for j in (1, 3, 5)]


def test_colorize_maps_the_range_ends_to_the_table_ends():
    out = theme.colorize(np.array([[-1.0, 0.0, 1.0, np.nan]]), theme.DIVERGING_LUT, -1.0, 1.0)
    assert (out[0, 0] == theme.DIVERGING_LUT[0]).all() and (out[0, 2] == theme.DIVERGING_LUT[255]).all()
    assert (out[0, 1] == theme.DIVERGING_LUT[127]).all() and (out[0, 3] == theme.DIVERGING_LUT[127]).all()


def test_unknown_attribute_still_raises():
    with pytest.raises(AttributeError):
        theme.NO_SUCH_TABLE  # noqa: B018
