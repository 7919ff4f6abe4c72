"""The Pooling page's HTML/SVG figure blocks, each one trusted_html element (see components.trusted_html)."""

from components.trusted_html import trusted_html


def view(html: str, key: str) -> None:
    """Show `html` (markup built by the page) in the element `key`; same key on every run keeps it mounted."""
    trusted_html(f'<div class="pool-view">{html}</div>', key)
