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
    assert theme.font_size(True) >= 18  # read from the back row at 1024 px wide
    assert theme.font_size(False) >= 12
    assert theme.font_size(True) >= 1.4 * theme.font_size(False) - 0.5  # grows like the page text


def test_defaults_follow_the_session_projector_mode(projector_mode):
    projector_mode(True)
    assert (theme.projector(), theme.font_size(), theme.line_width()) == (True, theme.FIGURE_TEXT_PX_PROJECTOR, 4.0)
    projector_mode(False)
    assert (theme.projector(), theme.font_size(), theme.line_width()) == (False, theme.FIGURE_TEXT_PX, 2.0)


def test_style_figure_uses_the_theme_size(projector_mode):
    projector_mode(True)
    fig = theme.style_figure(go.Figure(go.Scatter(x=[0, 1], y=[1, 0], mode="lines+markers")))
    assert fig.layout.font.size == theme.FIGURE_TEXT_PX_PROJECTOR
    assert fig.data[0].line.width == 4.0 and fig.data[0].marker.size == 12


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
