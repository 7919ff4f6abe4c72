"""The pipeline editor: one bordered card per step, every parameter widget generated from the spec table.

Widget keys are built from the step's id (never its position), so adding, removing or moving a step never
resets another step's settings. Every widget acts through a callback that edits the steps list in place and
then calls refresh(structural): a plain value change redraws only what shows the pipeline's result (the
editor already shows the new value); a structural change (step on/off, moved, removed, text that may not
parse) redraws the editor too.
"""

from collections.abc import Callable

import streamlit as st

from components.layout import plain
from components.theme import projector
from models.pipeline import make_step, move_step, remove_step
from models.transform_specs import CATALOGUE, Param, SpecError, spec


def widget_key(prefix: str, step_id: str, param: str) -> str:
    return f"{prefix}{step_id}_{param}"


def to_widget(param: Param, value):
    """Parameter value -> the value its widget holds."""
    if param.kind == "floats":
        return ", ".join(f"{v:g}" for v in value)
    if param.kind == "range":
        return tuple(float(v) for v in value)
    return value


def from_widget(param: Param, raw):
    """Widget value -> parameter value; SpecError for text that is not a valid list of numbers."""
    if param.kind == "floats":
        try:
            values = [float(t) for t in str(raw).replace(";", ",").split(",") if t.strip()]
        except ValueError as exc:
            raise SpecError(f"{param.name}: write numbers separated by commas, e.g. 0.5, 0.5, 0.5") from exc
        return param.check(values)
    return param.check(raw)


def _param_widget(param: Param, key: str, on_change, args: tuple) -> None:
    label, kw = param.name, dict(key=key, help=param.help, on_change=on_change, args=args)
    if param.kind == "bool":
        st.checkbox(label, **kw)
    elif param.kind == "choice":
        st.selectbox(label, param.options, **kw)
    elif param.kind == "int" and param.hi - param.lo > 200:
        st.number_input(label, int(param.lo), int(param.hi), step=int(param.step or 1), **kw)
    elif param.kind in ("int", "float", "range"):
        cast = int if param.kind == "int" else float
        st.slider(label, cast(param.lo), cast(param.hi), step=cast(param.step), **kw)
    else:
        st.text_input(label, **kw)


def _read(step: dict, param: Param, key: str) -> str:
    """Copy the widget's value into the step; the error text if it does not parse (the old value is kept)."""
    try:
        step["params"][param.name] = from_widget(param, st.session_state[key])
    except SpecError as exc:
        return f"{exc} (keeping {to_widget(param, step['params'][param.name])})"
    return ""


def _on_param(step: dict, param: Param, key: str, refresh: Callable[[bool], None]) -> None:
    _read(step, param, key)
    refresh(param.kind == "floats")  # typed text may show or clear an error in the editor


def _on_toggle(step: dict, key: str, refresh: Callable[[bool], None]) -> None:
    step["enabled"] = bool(st.session_state[key])
    refresh(True)


def _then(action, refresh: Callable[[bool], None], *args) -> None:
    action(*args)
    refresh(True)


def _new_id(state, next_id_key: str) -> str:
    state[next_id_key] = state.get(next_id_key, 0) + 1
    return f"s{state[next_id_key] - 1}"


def add_step(steps: list[dict], name: str, state, next_id_key: str, max_steps: int) -> bool:
    """Append a step with default settings; False (nothing added) when the pipeline already has max_steps."""
    if len(steps) >= max_steps:
        return False
    steps.append(make_step(name, None, _new_id(state, next_id_key)))
    return True


def _header(steps: list[dict], i: int, step: dict, prefix: str, refresh) -> None:
    sid = step["id"]
    on_key = f"{prefix}{sid}__on"
    if on_key not in st.session_state:
        st.session_state[on_key] = step["enabled"]
    st.markdown(f"**{i + 1}. {plain(step['name'])}**" + ("" if st.session_state[on_key] else " · *off*"))
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.toggle("on", key=on_key, help="Switch this step off without losing its settings.",
                  on_change=_on_toggle, args=(step, on_key, refresh))
        st.button("Up", key=f"{prefix}{sid}__up", help=f"Move step {i + 1} up",
                  on_click=_then, args=(move_step, refresh, steps, sid, -1), disabled=i == 0)
        st.button("Down", key=f"{prefix}{sid}__down", help=f"Move step {i + 1} down",
                  on_click=_then, args=(move_step, refresh, steps, sid, 1),
                  disabled=i == len(steps) - 1)
        st.button("Remove", key=f"{prefix}{sid}__remove", help=f"Remove step {i + 1}",
                  on_click=_then, args=(remove_step, refresh, steps, sid))
    step["enabled"] = bool(st.session_state[on_key])
    if not projector():
        st.caption(spec(step["name"]).summary)


def _no_refresh(structural: bool) -> None:
    """Default refresh: let the interaction rerun whatever holds the editor (the whole app without fragments)."""


def render_steps(steps: list[dict], prefix: str, per_row: int = 2,
                 refresh: Callable[[bool], None] = _no_refresh) -> None:
    """Draw every step's card and copy the widget values back into the steps (in place).

    refresh(structural): called by every widget's callback once the steps are updated (see the module doc)."""
    if not steps:
        st.info("The pipeline is empty: add a step below or load a preset.")
    for i, step in enumerate(list(steps)):
        with st.container(border=True, key=f"{prefix}{step['id']}__card"):
            _header(steps, i, step, prefix, refresh)
            params = spec(step["name"]).params
            cols = st.columns(per_row) if len(params) > 1 else [st.container()]
            for j, param in enumerate(params):
                key = widget_key(prefix, step["id"], param.name)
                if key not in st.session_state:
                    st.session_state[key] = to_widget(param, step["params"][param.name])
                with cols[j % len(cols)]:
                    _param_widget(param, key, _on_param, (step, param, key, refresh))
                    error = _read(step, param, key)
                    if error:
                        st.error(plain(error))


def catalogue_names() -> list[str]:
    return list(CATALOGUE)
