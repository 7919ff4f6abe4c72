"""The memoised NewSession config/theme parts equal what Streamlit builds on every run, and are built once."""

from streamlit.proto.NewSession_pb2 import Config, CustomThemeConfig
from streamlit.runtime import app_session

from app import session_message_cache

SECTIONS = ("theme", "theme.light", "theme.dark", "theme.sidebar", "theme.light.sidebar", "theme.dark.sidebar")


def _build_all(populate_config, populate_theme) -> tuple[bytes, bytes]:
    config, theme = Config(), CustomThemeConfig()
    populate_config(config)
    for section in SECTIONS:  # nested the way AppSession nests them
        target = theme
        for part in section.split(".")[1:]:
            target = getattr(target, part)
        populate_theme(target, section)
    return config.SerializeToString(deterministic=True), theme.SerializeToString(deterministic=True)


def test_memoised_messages_equal_streamlits_own_and_are_built_once(monkeypatch):
    original_config, original_theme = app_session._populate_config_msg, app_session._populate_theme_msg
    expected = _build_all(original_config, original_theme)
    calls = []

    def counting_theme(msg, section="theme"):
        calls.append(section)
        original_theme(msg, section)

    monkeypatch.setattr(app_session, "_populate_config_msg", original_config)
    monkeypatch.setattr(app_session, "_populate_theme_msg", counting_theme)
    session_message_cache.install()
    session_message_cache.install()  # idempotent: still one layer
    assert app_session._populate_theme_msg.__wrapped__ is counting_theme

    runs = [_build_all(app_session._populate_config_msg, app_session._populate_theme_msg) for _ in range(3)]
    assert all(run == expected for run in runs)
    assert sorted(calls) == sorted(SECTIONS)  # each section built on the first run only
    theme = CustomThemeConfig()
    theme.ParseFromString(expected[1])
    assert theme.primary_color == "#0a4a94"  # the repository's .streamlit/config.toml was read
