"""The join panel for a class: the address students type and its QR code, big enough for a projector."""

from html import escape

from components.trusted_html import trusted_html


def join_panel(url: str, qr_svg: str) -> None:
    """Show `url` and its QR code (an SVG built by the app, never user text) side by side."""
    html = (
        '<div data-testid="classroom-join" style="display:flex;flex-wrap:wrap;gap:2rem;align-items:center;'
        'margin-top:1.5rem;padding:1rem;border:2px solid #111111;border-radius:0.5rem;background:#ffffff">'
        f'<div style="line-height:0">{qr_svg}</div>'
        '<div style="color:#111111"><div style="font-size:1.6em;font-weight:700">Join this class</div>'
        '<div style="font-size:1.1em;margin:0.4em 0">Scan the code or type this address:</div>'
        f'<div data-url="{escape(url)}" style="font-family:monospace;font-size:2em;font-weight:700;'
        f'overflow-wrap:anywhere">{escape(url)}</div></div></div>'
    )
    trusted_html(html, key="classroom_join")
