"""Server logging, set up once per process: ConvLab's loggers write to stderr with full tracebacks.

Students see a short message in the browser (`client.showErrorDetails = "none"` in .streamlit/config.toml);
the teacher running the server sees the traceback in its log. Uncaught script exceptions are logged by
Streamlit's own logger ("Uncaught app execution", with traceback); `logger.exception(...)` in app/,
components/ and models/ goes through the handler installed here.
"""

import logging
import sys

PACKAGES = ("app", "components", "models")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Attach one stderr handler to ConvLab's package loggers (idempotent: Streamlit reruns main.py)."""
    for name in PACKAGES:
        logger = logging.getLogger(name)
        if any(getattr(h, "convlab", False) for h in logger.handlers):
            continue
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.convlab = True
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
