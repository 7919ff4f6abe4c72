"""Streamlit look-alikes in plain HTML for the Pooling page's result blocks (components.pooling_view).

One block of HTML is one element to send and render; a subheader, two columns and an alert as
Streamlit elements would be six. Sizes are in rem, so projector mode (a larger root font) scales them.
"""

from html import escape

from components import theme

ALERTS = {"warning": ("#fffae5", "#664800"), "info": ("#edf5ff", "#1d3f91")}  # Streamlit's backgrounds, ink >= 7:1


def heading(text: str) -> str:
    """Like st.subheader."""
    return (f'<h3 style="font-size:1.75rem;font-weight:600;line-height:1.2;padding:.75rem 0 1rem 0;margin:0">'
            f"{escape(text)}</h3>")


def alert(kind: str, icon: str, html: str) -> str:
    """Like st.warning / st.info with a material icon; html is trusted markup."""
    back, ink = ALERTS[kind]
    return (f'<div role="alert" data-alert="{kind}" style="background:{back};color:{ink};padding:1rem;'
            f'border-radius:.5rem;display:flex;gap:.5rem;line-height:1.5;margin-top:1rem">'
            f'<span aria-hidden="true" style="font-family:\'Material Symbols Rounded\';font-size:1.25rem;'
            f'line-height:1.25rem">{icon}</span><div>{html}</div></div>')


def explanation(html: str, label: str = "Explanation") -> str:
    """Like components.layout.explain: always inline (a class must read it from the projector), bold lead-in."""
    return f'<p style="margin:0 0 1rem 0"><b>{escape(label)}.</b> {html}</p>'


def two_columns(left: str, right: str) -> str:
    """Like st.columns([3, 2]); stacked on a projector, where the text is big."""
    projector = theme.projector()
    grid = "display:block" if projector else "display:grid;grid-template-columns:3fr 2fr;gap:1rem;align-items:start"
    return f'<div style="{grid}"><div style="min-width:0">{left}</div><div style="min-width:0">{right}</div></div>'
