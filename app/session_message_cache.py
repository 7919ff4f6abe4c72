"""Build the config and theme parts of Streamlit's per-run NewSession message once, not on every run.

Every script run, fragment runs included, starts with a NewSession message whose config and six theme
sections Streamlit rebuilds on the event loop by scanning all config options (about a third of the event
loop's samples under py-spy for a pooling preset click, which makes two runs; server CPU per interaction
changed less than its 10 ms measuring step). ConvLab's config is fixed when the server starts (no file
watcher, no config changes at run time), so each section is built once and merged into later messages;
the message sent is byte-for-byte the same.
"""

from collections.abc import Callable

from streamlit.runtime import app_session


def _memoised(build: Callable, proto_type) -> Callable:
    built: dict[tuple, object] = {}

    def populate(msg, *args) -> None:
        if args not in built:
            fresh = proto_type()
            build(fresh, *args)
            built[args] = fresh
        if built[args].ListFields():  # merging an empty message would still mark a sub-message as set
            msg.MergeFrom(built[args])

    populate.__wrapped__ = build
    return populate


def install() -> None:
    """Replace app_session's config and theme builders with memoised ones (idempotent)."""
    from streamlit.proto.NewSession_pb2 import Config, CustomThemeConfig

    if not hasattr(app_session._populate_config_msg, "__wrapped__"):
        app_session._populate_config_msg = _memoised(app_session._populate_config_msg, Config)
    if not hasattr(app_session._populate_theme_msg, "__wrapped__"):
        app_session._populate_theme_msg = _memoised(app_session._populate_theme_msg, CustomThemeConfig)
