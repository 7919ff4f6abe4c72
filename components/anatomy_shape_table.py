"""The Anatomy page's shape table as light HTML: one line per layer, flagged rows highlighted.

Plain HTML instead of st.table/st.dataframe: it is cheap to build and to draw after every edit, and its
type follows the page's rem size, so it grows with projector mode.
"""

from html import escape

import streamlit as st

from components.theme import projector as projector_mode
from models.architecture import Row, shape_text

COLUMNS = ("#", "Layer", "Output shape", "Parameters", "Receptive field", "Jump", "Check")
NUMERIC = {"#", "Parameters", "Receptive field", "Jump"}
CLASSES = {"Layer": "layer", "Output shape": "shape", "Check": "check"}  # the rest are right-aligned numbers
_CSS = """<style>
.as-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; line-height: 1.35; color: #111; }
.as-wrap { overflow-x: auto; max-width: 100%; }
.as-table th, .as-table td { border-bottom: 1px solid #d0d3d9; padding: 0.28rem 0.3rem; text-align: left;
  vertical-align: top; }
.as-table th { background: #f0f2f6; font-weight: 600; }
.as-table th.num { white-space: normal; min-width: 3.2em; }
.as-table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.as-table .shape { white-space: nowrap; font-variant-numeric: tabular-nums; }
.as-table .layer { min-width: 6.5em; }
.as-table tr.bad .check { min-width: 7.5em; }
.as-table tr.bad td { background: #fddbc7; color: #67001f; font-weight: 700; }
.as-table tr.waiting td { color: #595959; font-style: italic; }
.as-table tr.total td { font-weight: 700; border-top: 2px solid #555; }
.as-projector.as-table { font-size: 1.05rem; color: #000; }
.as-projector.as-table th, .as-projector.as-table td { border-bottom: 2px solid #000; padding: 0.35rem 0.55rem;
  color: #000; }
.as-projector.as-table th { background: #e6e6e6; font-weight: 800; }
.as-projector.as-table td { font-weight: 600; }
.as-projector.as-table tr.bad td { background: #fddbc7; color: #67001f; font-weight: 800; }
.as-projector.as-table tr.waiting td { color: #333; }
.as-projector.as-table tr.total td { border-top: 3px solid #000; font-weight: 800; }
</style>"""


def _field(value: int | None, row: Row, none_text: str) -> str:
    if row.shape is None:
        return "?"
    return none_text if value is None else str(value)


def _check(problem: str) -> str:
    return f"… {problem[0].lower()}{problem[1:]}" if problem.startswith("Waiting") else f"✖ {problem}"


def shape_lines(rows: list[Row], input_shape: tuple[int, ...], total: int) -> list[dict]:
    """Input plus one line per layer plus the total: output shape, parameters, receptive field, jump, check."""
    lines = [{"#": "", "Layer": "input image", "Output shape": shape_text(tuple(input_shape)), "Parameters": "",
              "Receptive field": "1", "Jump": "1", "Check": ""}]
    for r in rows:
        lines.append({"#": str(r.index), "Layer": r.label, "Output shape": shape_text(r.shape),
                      "Parameters": f"{r.params:,}" if r.shape is not None else "?",
                      "Receptive field": _field(r.rf, r, "whole input"), "Jump": _field(r.jump, r, "—"),
                      "Check": "✔" if r.ok else _check(r.problem)})
    lines.append({"#": "", "Layer": "total", "Output shape": "", "Parameters": f"{total:,}",
                  "Receptive field": "", "Jump": "", "Check": ""})
    return lines


def _row_class(line: dict) -> str:
    if line["Layer"] == "total" and not line["#"]:
        return "total"
    return {"✖": "bad", "…": "waiting"}.get(line["Check"][:1], "")


def table_html(lines: list[dict]) -> str:
    def cell(col: str, value: str) -> str:
        return f'<td class="{CLASSES.get(col, "num")}">{escape(value)}</td>'

    projector = projector_mode()
    head = "".join(f'<th class="num">{c}</th>' if c in NUMERIC else f"<th>{c}</th>" for c in COLUMNS)
    body = "".join(f'<tr class="{_row_class(line)}">' + "".join(cell(c, line[c]) for c in COLUMNS) + "</tr>"
                   for line in lines)
    return (f'{_CSS}<div class="as-wrap"><table class="as-table{" as-projector" if projector else ""}" '
            f'data-testid="anatomy-shapes"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


def shape_table(rows: list[Row], input_shape: tuple[int, ...], total: int) -> None:
    """Input plus one line per layer: output shape, parameters, receptive field, jump, and any problem."""
    st.html(table_html(shape_lines(rows, input_shape, total)))
