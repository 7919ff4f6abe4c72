"""The Anatomy page's HTML pieces: editor rows -> Layers, the shape table, the depth chart."""

from components.anatomy_depth_svg import depth_svg
from components.anatomy_shape_table import shape_lines, table_html
from components.stack_editor import _spec_rows, rows_to_spec
from models import architecture as arch

DIGIT = arch.PRESETS[arch.DEFAULT_PRESET]


def test_editor_rows_round_trip_and_junk_becomes_blank():
    assert rows_to_spec(_spec_rows(DIGIT)) == DIGIT
    junk = [{"layer": "conv", "out": 8.0, "k": "3", "stride": -2, "padding": float("nan")},
            {"layer": "<b>", "out": True}, "not a row", {"layer": "relu", "k": 10**12}]
    assert rows_to_spec(junk) == [arch.Layer("conv", 8, None, 0, None), arch.Layer(""), arch.Layer("relu", None, 10**6)]
    assert rows_to_spec(None) == []


def test_shape_table_html_marks_bad_and_waiting_rows_and_escapes_text():
    spec = [arch.conv(10, 29), arch.RELU]
    lines = shape_lines(arch.propagate(spec, (1, 28, 28)), (1, 28, 28), 0)
    html = table_html(lines, projector=False)
    assert html.count('<tr class="bad">') == 1 and html.count('<tr class="waiting">') == 1
    assert '<tr class="total">' in html and 'class="as-table"' in html
    assert 'class="as-table as-projector"' in table_html(lines, projector=True)
    lines[1]["Layer"] = "<script>x</script>"
    assert "<script>x" not in table_html(lines, False) and "&lt;script&gt;x" in table_html(lines, False)


def test_depth_svg_has_one_bar_and_one_point_per_level():
    labels, res, maps = arch.depth_profile(arch.propagate(DIGIT, (1, 28, 28)), (1, 28, 28))
    svg = depth_svg(labels, res, maps, projector=False)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == len(labels) + 1  # bars + the legend swatch
    assert svg.count("<circle") == len(labels) and "20 feature maps, 5x5 pixels" in svg
    assert 'font-size="19"' in depth_svg(labels, res, maps, projector=True)


def test_styled_figure_looks_like_the_theme_style():
    import plotly.graph_objects as go

    from components.anatomy_figures import styled_figure
    from components.theme import style_figure

    for projector in (False, True):
        traces = [dict(type="scatter", x=[0, 1], y=[2, 1], mode="lines+markers", line=dict(color="#0072B2")),
                  dict(type="scatter", x=[0, 1], y=[1, 3], mode="lines")]
        layout = dict(height=300, annotations=[dict(text="Loss", x=0.2, y=1, showarrow=False)], margin=dict(t=40))
        expected = style_figure(go.Figure([dict(t) for t in traces], layout=dict(layout)), projector)
        assert styled_figure(traces, layout, projector).to_plotly_json() == expected.to_plotly_json()
