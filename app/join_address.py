"""Where students join a class: this machine's LAN address, the join URL and its QR code.

`deploy/classroom.py` prints these when it starts; the Home page shows them in projector mode.
"""

import os
import re
import socket
import subprocess
from dataclasses import dataclass
from functools import lru_cache

JOIN_URL_ENV = "CONVLAB_JOIN_URL"  # the address the launcher printed, e.g. http://192.168.1.20:8080


@dataclass(frozen=True)
class JoinInfo:
    url: str
    qr_svg: str  # a standalone <svg> document, dark modules on white


_SRC_RE = re.compile(r"\bsrc\s+([0-9a-fA-F.:]+)")


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=2, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def lan_address(run=_run) -> str:
    """This machine's address on the local network, found without sending anything anywhere.

    Tries the source address of the default route (`ip route get 1`), then `hostname -I`,
    then falls back to the hostname. Loopback addresses are never returned unless nothing else exists.
    """
    match = _SRC_RE.search(run(["ip", "-4", "route", "get", "1"]))
    if match and not match.group(1).startswith("127."):
        return match.group(1)
    for addr in run(["hostname", "-I"]).split():
        if "." in addr and not addr.startswith("127."):
            return addr
    return socket.gethostname() or "localhost"


def join_url(host: str, port: int) -> str:
    """http://host:port/, with IPv6 literals bracketed and the default port left out."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


@lru_cache(maxsize=4)
def qr_svg(url: str) -> str:
    """The URL as a QR code (error correction M), an SVG string drawn locally by segno."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=10, border=2, dark="#000000", light="#ffffff")


def qr_text(url: str) -> str:
    """The URL as a QR code drawn with Unicode half blocks, for a terminal (dark modules on light)."""
    import segno

    qr = segno.make(url, error="m", micro=False)
    rows = [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=2)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyph = {(False, False): "\u2588", (True, False): "\u2584", (False, True): "\u2580", (True, True): " "}
    return "\n".join("".join(glyph[(top, bottom)] for top, bottom in zip(rows[i], rows[i + 1], strict=True))
                     for i in range(0, len(rows), 2))


def join_info() -> JoinInfo | None:
    """Where students join this class, or None when the app is not served to a class."""
    url = os.environ.get(JOIN_URL_ENV, "").strip()
    if not url:
        return None
    return JoinInfo(url=url, qr_svg=qr_svg(url))
