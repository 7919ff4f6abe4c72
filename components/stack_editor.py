"""The layer-stack editor: an editable table (st.components.v2, JS and CSS in components/anatomy_editor.*).

The editor sends every committed edit at once (st.data_editor holds each edit back 150 ms before it
sends it), so the shape table beside it (components.anatomy_shape_table) updates in one round trip.
"""

import math
from pathlib import Path

import streamlit as st

from components.theme import projector
from models.architecture import KIND_NAMES, KINDS, MAX_LAYERS, Layer
from models.content_id import content_id

_HERE = Path(__file__).parent
COLUMNS = ("layer", "out", "k", "stride", "padding")
TITLES = {"layer": "Layer", "out": "Out", "k": "k", "stride": "Stride", "padding": "Pad"}
HELP = {"layer": "; ".join(f"{k} = {v}" for k, v in KIND_NAMES.items()),
        "out": "Output channels (conv) or outputs (linear)", "k": "Kernel / window size (conv, pool)",
        "stride": "Step between windows (conv, pool). Blank pool stride = k.",
        "padding": "Zeros added on each side (conv)"}
NEW_KIND = "relu"
MAX_VALUE = 1_000_000  # anything larger is flagged by models.architecture anyway

_editor = st.components.v2.component(
    "convlab_anatomy_editor",
    html=('<div class="ae-root"><table class="ae-table"><thead><tr><th>#</th>'
          + "".join(f'<th data-col="{c}"></th>' for c in COLUMNS)
          + '<td></td></tr></thead><tbody></tbody></table>'  # the bins' column: no header text, so no <th>
          '<button type="button" class="ae-add">+ Add layer</button></div>'),
    css=(_HERE / "anatomy_editor.css").read_text(),
    js=(_HERE / "anatomy_editor.js").read_text(),
)


def _int_or_none(value) -> int | None:
    """A whole number clamped to 0..MAX_VALUE; anything else (text, NaN, infinity, True) is blank."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return max(0, min(MAX_VALUE, int(value)))


def rows_to_spec(rows: list) -> list[Layer]:
    """The editor's rows ([{"layer", "out", "k", "stride", "padding"}]) as Layers; junk becomes blank.

    At most MAX_LAYERS + 1 rows are read (one past the limit, so the page can say the stack is too long)."""
    spec = []
    for r in rows[:MAX_LAYERS + 1] if isinstance(rows, list) else []:
        if isinstance(r, dict):
            kind = r.get("layer") if r.get("layer") in KINDS else ""
            spec.append(Layer(kind, *(_int_or_none(r.get(c)) for c in COLUMNS[1:])))
    return spec


def _spec_rows(spec: list[Layer]) -> list[dict]:
    return [{"layer": x.kind, "out": x.out, "k": x.k, "stride": x.stride, "padding": x.padding} for x in spec]


def _sent(value, key: str) -> dict | None:
    """The editor's last report {"rows": [...], "seq": n, "version": key} if it belongs to this editor."""
    sent = value.get("rows") if isinstance(value, dict) else getattr(value, "rows", None)
    ok = isinstance(sent, dict) and sent.get("version") == key and isinstance(sent.get("rows"), list)
    return sent if ok and isinstance(sent.get("seq") or 0, int) else None


def stack_id(spec: list[Layer], input_shape: tuple[int, ...]) -> str:
    """A short name for a stack on an input, shared by the editor and the chart that follows it."""
    return content_id(tuple(spec), tuple(input_shape))


def layer_editor(spec: list[Layer], key: str, input_shape: tuple[int, ...], disabled: bool = False) -> list[Layer]:
    """An editable table of layers starting from `spec`; returns the edited stack.

    Each row has a bin; "+ Add layer" appends a ReLU row. Under `key`, session state holds
    {"rows": {"rows": [...], "seq": n, "version": key}} once the stack has been edited. The editor
    announces stack_id(stack, input_shape) to the page's depth chart (components.anatomy_depth_svg).
    """
    before = _sent(st.session_state.get(key), key)  # this run's report: also shown again after a remount
    current = rows_to_spec(before["rows"]) if before else list(spec)
    data = dict(rows=_spec_rows(current), stack_id=stack_id(current, input_shape),
                seq=int(before.get("seq") or 0) if before else 0, version=key,
                kinds=[[k, KIND_NAMES[k]] for k in KINDS], titles=TITLES, help=HELP, new_kind=NEW_KIND,
                projector=projector(), disabled=disabled, max_rows=MAX_LAYERS)
    sent = _sent(_editor(key=key, data=data, default={"rows": None}, on_rows_change=lambda: None,
                         width="stretch"), key)
    return rows_to_spec(sent["rows"]) if sent else list(spec)
