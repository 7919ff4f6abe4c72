"""AppTest: start from app/main.py, switch to every registered page, and check nothing raises."""

import pytest

from app.registry import PAGES
from tests.conftest import app_at


def test_home_renders_cards_for_every_page():
    at = app_at()
    assert not at.exception
    assert at.title[0].value.startswith("ConvLab")
    assert at.toggle(key="projector").value is False


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])  # not "page": pytest-playwright's fixture
def test_every_page_runs_without_exception(info):
    at = app_at(info.script)
    assert not at.exception, at.exception
    assert [t.value for t in at.title][:1] == [info.title], f"{info.script} is not the page shown"


def test_projector_mode_from_url_and_back():
    at = app_at(query={"projector": "1"})
    assert at.toggle(key="projector").value is True
    at.toggle(key="projector").set_value(False).run()
    assert "projector" not in at.query_params
    at.toggle(key="projector").set_value(True).run()
    assert at.query_params["projector"] == ["1"] or at.query_params["projector"] == "1"
