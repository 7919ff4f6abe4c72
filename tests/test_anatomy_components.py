"""The Anatomy page's HTML pieces: editor rows -> Layers, the shape table, the depth chart."""

from components.anatomy_depth_svg import depth_svg
from components.anatomy_shape_table import shape_lines, table_html
from components.stack_editor import _spec_rows, rows_to_spec
from components.theme import using
from models import architecture as arch

DIGIT = arch.PRESETS[arch.DEFAULT_PRESET]


def test_editor_rows_round_trip_and_junk_becomes_blank():
    assert rows_to_spec(_spec_rows(DIGIT)) == DIGIT
    junk = [{"layer": "conv", "out": 8.0, "k": "3", "stride": -2, "padding": float("nan")},
            {"layer": "<b>", "out": True}, "not a row", {"layer": "relu", "k": 10**12},
            {"layer": "conv", "out": float("inf"), "k": float("-inf"), "stride": 10**400, "padding": 1e308}]
    assert rows_to_spec(junk) == [arch.Layer("conv", 8, None, 0, None), arch.Layer(""), arch.Layer("relu", None, 10**6),
                                  arch.Layer("conv", None, None, 10**6, 10**6)]
    assert rows_to_spec(None) == []
    assert len(rows_to_spec([{"layer": "relu"}] * 1000)) == arch.MAX_LAYERS + 1  # the page flags the extra one


def test_shape_table_html_marks_bad_and_waiting_rows_and_escapes_text():
    spec = [arch.conv(10, 29), arch.RELU]
    lines = shape_lines(arch.propagate(spec, (1, 28, 28)), (1, 28, 28), 0)
    with using(False):
        html = table_html(lines)
    assert html.count('<tr class="bad">') == 1 and html.count('<tr class="waiting">') == 1
    assert '<tr class="total">' in html and 'class="as-table"' in html
    with using(True):
        assert 'class="as-table as-projector"' in table_html(lines)
    lines[1]["Layer"] = "<script>x</script>"
    assert "<script>x" not in table_html(lines) and "&lt;script&gt;x" in table_html(lines)


def test_depth_svg_has_one_bar_and_one_point_per_level():
    labels, res, maps = arch.depth_profile(arch.propagate(DIGIT, (1, 28, 28)), (1, 28, 28))
    with using(False):
        svg = depth_svg(labels, res, maps)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == len(labels) + 1  # bars + the legend swatch
    assert svg.count("<circle") == len(labels) and "20 feature maps, 5x5 pixels" in svg
    from components.theme import FIGURE_TEXT_PX, FIGURE_TEXT_PX_PROJECTOR

    assert f'font-size="{FIGURE_TEXT_PX}"' in svg and 'viewBox="0 0 900 ' in svg
    with using(True):
        narrow = depth_svg(labels, res, maps, width=500)  # drawn at its shown width: 1 unit = 1 px
    assert f'font-size="{FIGURE_TEXT_PX_PROJECTOR}"' in narrow and 'viewBox="0 0 500 ' in narrow


def test_depth_svg_labels_fit_their_slots_on_a_long_stack():
    spec = [arch.conv(4, 3, 1, 1), arch.RELU] * 20
    labels, res, maps = arch.depth_profile(arch.propagate(spec, (1, 28, 28)), (1, 28, 28))
    with using(True):
        svg = depth_svg(labels, res, maps, width=700)
    assert ">39·conv</text>" not in svg and ">39</text>" in svg  # narrow slots show only the row number


def test_styled_figure_looks_like_the_theme_style():
    import plotly.graph_objects as go

    from components.anatomy_figures import styled_figure
    from components.theme import style_figure

    for projector in (False, True):
        traces = [dict(type="scatter", x=[0, 1], y=[2, 1], mode="lines+markers", line=dict(color="#0072B2")),
                  dict(type="scatter", x=[0, 1], y=[1, 3], mode="lines")]
        layout = dict(height=300, annotations=[dict(text="Loss", x=0.2, y=1, showarrow=False)])
        with using(projector):
            expected = style_figure(go.Figure([dict(t) for t in traces], layout=dict(layout)))
            assert styled_figure(traces, layout).to_plotly_json() == expected.to_plotly_json()
            kept = styled_figure(traces, {**layout, "margin": dict(l=10, r=10, t=44, b=10)})
        assert kept.layout.margin.t == 44  # a figure with titles above its plots keeps room for them
