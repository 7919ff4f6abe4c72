"""Classroom mode: the class-code gate and the replica's name.

`deploy/classroom.py` (started by `make classroom`) sets the environment variables below for every
Streamlit replica; without them (`make run`) the gate lets everyone in. The code is asked once per
browser session: a right code leaves a session cookie holding an HMAC of the code (never the code),
so a reload or a new tab of the same browser goes straight in, on any replica.
"""

import hashlib
import hmac
import os
import time

CODE_ENV = "CONVLAB_CLASS_CODE"  # the optional class code
SECRET_ENV = "CONVLAB_CLASS_SECRET"  # random per class start (deploy/classroom.py): old cookies stop working
COOKIE = "convlab_class"
REPLICA_ENV = "CONVLAB_REPLICA"  # this process's name behind the load balancer, e.g. "2"

UNLOCKED = "classroom_unlocked"  # bool in st.session_state
TYPED = "classroom_code"  # the text input's key
CHECKED = "classroom_checked"  # the last typed code that was checked (each new one is one guess)
REMEMBER = "classroom_remember"  # True once the code was typed: this session writes the cookie
GUESSES = "classroom_guesses"  # list[float]: monotonic times of this session's wrong guesses
MAX_GUESSES = 5  # wrong guesses allowed per window ...
GUESS_WINDOW_S = 60.0  # ... of this many seconds
MAX_CODE_CHARS = 64


def code_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of a typed code with the class code (surrounding spaces ignored)."""
    given_b = given.strip()[:MAX_CODE_CHARS].encode()
    return hmac.compare_digest(given_b, expected.strip().encode())


def class_token(code: str, secret: str = "") -> str:
    """The cookie value that proves this browser gave `code`: hex HMAC-SHA256 keyed by the class secret."""
    return hmac.new(("convlab-class:" + secret).encode(), code.strip().encode(), hashlib.sha256).hexdigest()


def token_matches(cookie: str | None, code: str, secret: str = "") -> bool:
    """Constant-time check of a cookie value against the class token (any text, even non-ASCII, is safe)."""
    given = cookie[:128] if isinstance(cookie, str) else ""
    return hmac.compare_digest(given.encode(), class_token(code, secret).encode())


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
    if not expected:
        return
    secret = os.environ.get(SECRET_ENV, "")
    if not st.session_state.get(UNLOCKED) and token_matches(st.context.cookies.get(COOKIE), expected, secret):
        st.session_state[UNLOCKED] = True
    if st.session_state.get(UNLOCKED):
        if st.session_state.get(REMEMBER):
            from components.browser_cookie import set_session_cookie

            # On every run of this session: a run replaced by the next before the browser drew it writes nothing.
            set_session_cookie(COOKIE, class_token(expected, secret))
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
            st.session_state[REMEMBER] = True
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
