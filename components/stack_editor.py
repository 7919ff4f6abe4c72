"""The layer-stack editor (an editable table) and the shape table it drives. Widgets return plain values."""

import pandas as pd
import streamlit as st

from models.architecture import KIND_NAMES, KINDS, Layer, Row, shape_text

COLUMNS = ("layer", "out", "k", "stride", "padding")
BAD_ROW_CSS = "background-color: #fddbc7; color: #67001f; font-weight: 700"
WAITING_CSS = "color: #595959; font-style: italic"


def _check(problem: str) -> str:
    return f"… {problem[0].lower()}{problem[1:]}" if problem.startswith("Waiting") else f"✖ {problem}"


def _frame(spec: list[Layer]) -> pd.DataFrame:
    df = pd.DataFrame([{"layer": x.kind, "out": x.out, "k": x.k, "stride": x.stride, "padding": x.padding}
                       for x in spec], columns=list(COLUMNS))
    for col in COLUMNS[1:]:
        df[col] = df[col].astype("Int64")
    df.index = pd.RangeIndex(1, len(df) + 1)  # row numbers as in the shape table
    return df


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def layer_editor(spec: list[Layer], key: str, projector: bool = False, disabled: bool = False) -> list[Layer]:
    """An editable table of layers starting from `spec`; returns the edited stack.

    Rows can be added (the + under the table) and deleted (tick a row, then the bin icon).
    """
    cfg = st.column_config
    edited = st.data_editor(
        _frame(spec), key=key, num_rows="dynamic", hide_index=False, disabled=disabled, width="stretch",
        height=(row := 48 if projector else 35) * (len(spec) + 2) + 3, row_height=row, placeholder="",
        column_config={
            "layer": cfg.SelectboxColumn("Layer", width="small", options=list(KINDS), required=True, default="relu",
                                         help="; ".join(f"{k} = {v}" for k, v in KIND_NAMES.items())),
            "out": cfg.NumberColumn("Out", width="small", min_value=0, step=1,
                                    help="Output channels (conv) or outputs (linear)"),
            "k": cfg.NumberColumn("k", width="small", min_value=0, step=1, help="Kernel / window size (conv, pool)"),
            "stride": cfg.NumberColumn("Stride", width="small", min_value=0, step=1,
                                       help="Step between windows (conv, pool). Blank pool stride = k."),
            "padding": cfg.NumberColumn("Pad", width="small", min_value=0, step=1, help="Zeros added on each side (conv)"),
        },
    )
    return [Layer(str(r["layer"]) if isinstance(r["layer"], str) else "",
                  *(_int_or_none(r[c]) for c in COLUMNS[1:])) for r in edited.to_dict("records")]


def _field(value: int | None, row: Row, none_text: str) -> str:
    if row.shape is None:
        return "?"
    return none_text if value is None else str(value)


def shape_table(rows: list[Row], input_shape: tuple[int, ...], total: int) -> None:
    """Input plus one line per layer: output shape, parameters, receptive field, jump, and any problem."""
    lines = [{"#": "", "Layer": "input image", "Output shape": shape_text(tuple(input_shape)), "Parameters": "",
              "Receptive field": "1", "Jump": "1", "Check": ""}]
    for r in rows:
        lines.append({"#": str(r.index), "Layer": r.label, "Output shape": shape_text(r.shape),
                      "Parameters": f"{r.params:,}" if r.shape is not None else "?",
                      "Receptive field": _field(r.rf, r, "whole input"), "Jump": _field(r.jump, r, "—"),
                      "Check": "✔" if r.ok else _check(r.problem)})
    lines.append({"#": "", "Layer": "total", "Output shape": "", "Parameters": f"{total:,}",
                  "Receptive field": "", "Jump": "", "Check": ""})
    df = pd.DataFrame(lines)
    css = {i: BAD_ROW_CSS if line["Check"].startswith("✖") else WAITING_CSS
           for i, line in enumerate(lines) if line["Check"].startswith(("✖", "…"))}
    styled = df.style.apply(lambda row: [css.get(row.name, "")] * len(row), axis=1)
    st.table(styled, hide_index=True)
