"""Classroom mode: the class-code gate, the join address students type or scan, and the replica's name.

`deploy/classroom.py` (started by `make classroom`) sets the environment variables below for every
Streamlit replica; without them (`make run`) the gate lets everyone in and `join_info()` is None.
"""

import hmac
import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from functools import lru_cache

CODE_ENV = "CONVLAB_CLASS_CODE"  # the optional class code
JOIN_URL_ENV = "CONVLAB_JOIN_URL"  # the address the launcher printed, e.g. http://192.168.1.20:8080
REPLICA_ENV = "CONVLAB_REPLICA"  # this process's name behind the load balancer, e.g. "2"

UNLOCKED = "classroom_unlocked"  # bool in st.session_state
TYPED = "classroom_code"  # the text input's key
CHECKED = "classroom_checked"  # the last typed code that was checked (each new one is one guess)
GUESSES = "classroom_guesses"  # list[float]: monotonic times of this session's wrong guesses
MAX_GUESSES = 5  # wrong guesses allowed per window ...
GUESS_WINDOW_S = 60.0  # ... of this many seconds
MAX_CODE_CHARS = 64


@dataclass(frozen=True)
class JoinInfo:
    url: str
    qr_svg: str  # a standalone <svg> document, dark modules on white


def code_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of a typed code with the class code (surrounding spaces ignored)."""
    given_b = given.strip()[:MAX_CODE_CHARS].encode()
    return hmac.compare_digest(given_b, expected.strip().encode())


def recent_guesses(guesses: list[float], now: float, window: float = GUESS_WINDOW_S) -> list[float]:
    """The wrong guesses still inside the rate-limit window."""
    return [t for t in guesses if now - t < window]


def wait_seconds(guesses: list[float], now: float, limit: int = MAX_GUESSES,
                 window: float = GUESS_WINDOW_S) -> float:
    """Seconds until this session may guess again (0 when it may guess now)."""
    recent = sorted(recent_guesses(guesses, now, window))
    if len(recent) < limit:
        return 0.0
    return max(0.0, recent[-limit] + window - now)


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


def class_code() -> str:
    return os.environ.get(CODE_ENV, "").strip()


def replica_name() -> str:
    return os.environ.get(REPLICA_ENV, "").strip()


def gate() -> None:
    """Name the replica in the sidebar and, if a class code is set, stop every page until it is given."""
    import streamlit as st

    name = replica_name()
    if name:
        st.sidebar.caption(f"Served by replica {name}")
    expected = class_code()
    if not expected or st.session_state.get(UNLOCKED):
        return
    st.title("Join the class")
    now = time.monotonic()
    guesses = recent_guesses(st.session_state.get(GUESSES, []), now)
    # A plain input, not a form: its value survives a rerun that would drop a submit button's click.
    given = st.text_input("Class code", type="password", max_chars=MAX_CODE_CHARS, key=TYPED,
                          help="Your teacher shows the class code on the projector. Press Enter to join.")
    st.button("Join", key="classroom_join")
    if given and given != st.session_state.get(CHECKED):
        wait = wait_seconds(guesses, now)
        if wait > 0:
            st.error(f"Too many wrong codes. Try again in {wait:.0f} seconds.")
        elif code_matches(given, expected):
            st.session_state[UNLOCKED] = True
            st.session_state.pop(GUESSES, None)
            st.rerun()
        else:
            guesses.append(now)
            st.session_state[CHECKED] = given
            st.error("That is not the class code.")
    elif given:
        st.error("That is not the class code.")
    st.session_state[GUESSES] = guesses
    st.stop()
