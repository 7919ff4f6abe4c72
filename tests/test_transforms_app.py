"""AppTest for the Transforms page: editing, adding, moving and removing steps keeps every other setting;
the URL holds the pipeline; every tab renders what the models compute.

The page is two fragments (editor, view) and AppTest's element tree holds only what the last run drew, so
after a change that redraws one fragment the tests run the whole page again before reading the other."""

import html
import re

import pytest

from models.pipeline import make_step, preset_steps
from models.pipeline_io import decode_url, encode_url
from tests.conftest import app_at

PAGE = "pages/transforms/page.py"


def _names(at) -> list[str]:
    return [m.value.split(". ", 1)[1].strip("*").split("**")[0] for m in at.markdown
            if m.value.startswith("**") and ". " in m.value[:6]]


def _cards(at, grid: str = "tf-strip") -> list[str]:
    """The plain text of every card of the stage strip (or of the random grid: grid="tf-outcomes")."""
    body = next(h.value for h in at.html if f'data-testid="{grid}"' in h.value)
    cards = body.split('<div class="tfv-card">')[1:]
    assert all("<img" in c or "tfv-err" in c for c in cards)
    lines = [re.sub(r"<[^>]+>", "", re.sub(r"</div>|<img[^>]*>", " ", c)) for c in cards]
    return [" ".join(html.unescape(t).split()) for t in lines]


def _plain(markdown: str) -> str:
    """Text as a student reads it: the page escapes user text (components.layout.plain)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _titles(at) -> list[str]:
    return [c.split(" ", 1)[0] for c in _cards(at)]


def _set(at, kind: str, key: str, value) -> None:
    """Change a widget (its callback redraws the view, or the editor and the view), then run the whole page."""
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception, at.exception
    at.run()


def _url_steps(at):
    code = at.query_params["tf"]
    return decode_url(code[0] if isinstance(code, list) else code)


@pytest.fixture
def at():
    at = app_at(PAGE)
    assert not at.exception, at.exception
    return at


def test_default_pipeline_and_stage_strip(at):
    assert _names(at) == ["RandomResizedCrop", "RandomHorizontalFlip", "ColorJitter", "ToImage", "ToDtype",
                          "Normalize"]
    infos = _cards(at)
    assert len(infos) == 7  # input + six stages
    assert infos[0].startswith("Input PIL.Image · uint8 (PIL)") and "512×512" in infos[0]
    assert "tv_tensors.Image · float32" in infos[-1] and "(3, 224, 224)" in infos[-1]
    assert "min " in infos[-1] and "max " in infos[-1]
    assert "de-normalised" in infos[-1]
    assert "drew: crop" in infos[1]
    steps, seed = _url_steps(at)
    assert [s["name"] for s in steps] == _names(at) and seed == 0


def test_a_parameter_change_redraws_only_the_view(at):
    at.number_input(key="tf_step_s0_size").set_value(96).run()
    assert not at.exception
    assert _names(at) == []  # the editor was not sent again ...
    assert "(96, 96, 3)" in _cards(at)[1]  # ... the strip was, with the new size
    steps, _ = _url_steps(at)
    assert steps[0]["params"]["size"] == 96


def test_add_move_remove_keep_other_settings(at):
    _set(at, "number_input", "tf_step_s0_size", 128)
    _set(at, "slider", "tf_step_s2_brightness", 0.8)
    _set(at, "toggle", "tf_step_s1__on", False)
    at.selectbox(key="tf_add").set_value("RandomRotation").run()
    at.button(key="tf_add_btn").click().run()
    assert not at.exception
    at.run()
    assert _names(at)[-1] == "RandomRotation"
    _set(at, "slider", "tf_step_s6_degrees", 77.0)
    for _ in range(3):
        at.button(key="tf_step_s6__up").click().run()
        at.run()
    assert _names(at) == ["RandomResizedCrop", "RandomHorizontalFlip", "ColorJitter", "RandomRotation", "ToImage",
                          "ToDtype", "Normalize"]
    at.button(key="tf_step_s1__remove").click().run()
    at.run()
    at.button(key="tf_step_s0__down").click().run()
    assert not at.exception
    at.run()
    assert _names(at) == ["ColorJitter", "RandomResizedCrop", "RandomRotation", "ToImage", "ToDtype", "Normalize"]
    assert at.number_input(key="tf_step_s0_size").value == 128
    assert at.slider(key="tf_step_s2_brightness").value == 0.8
    assert at.slider(key="tf_step_s6_degrees").value == 77.0
    steps, _ = _url_steps(at)
    assert steps[1]["params"]["size"] == 128 and steps[0]["params"]["brightness"] == 0.8
    assert steps[2]["params"]["degrees"] == 77.0
    assert "(128, 128, 3)" in _cards(at)[2]  # input, ColorJitter, then the 128 px crop


def test_switching_a_step_off_skips_it_and_keeps_its_settings(at):
    _set(at, "slider", "tf_step_s2_hue", 0.3)
    _set(at, "toggle", "tf_step_s2__on", False)
    assert "ColorJitter" not in _titles(at) and "Normalize" in _titles(at)
    assert any("ColorJitter" in m.value and "off" in m.value for m in at.markdown)
    _set(at, "toggle", "tf_step_s2__on", True)
    assert at.slider(key="tf_step_s2_hue").value == 0.3
    assert "ColorJitter" in _titles(at)


def test_presets_clear_and_seed(at):
    at.selectbox(key="tf_preset").set_value("ImageNet evaluation").run()  # loads on selection
    assert _names(at) == ["Resize", "CenterCrop", "ToImage", "ToDtype", "Normalize"]
    assert at.number_input(key="tf_step_s6_size").value == 256
    at.button(key="tf_resample").click().run()
    seed = at.number_input(key="tf_seed").value
    assert _url_steps(at)[1] == seed
    at.button(key="tf_clear").click().run()
    assert _names(at) == [] and any("empty" in i.value for i in at.info)


def test_pipeline_from_a_link_and_a_damaged_link():
    steps = [make_step("Resize", {"size": 64}, "s0"), make_step("RandomRotation", {"degrees": 12.0}, "s1")]
    at = app_at(PAGE, query={"tf": encode_url(steps, 33)})
    assert not at.exception
    assert _names(at) == ["Resize", "RandomRotation"]
    assert at.number_input(key="tf_seed").value == 33
    assert at.slider(key="tf_step_s1_degrees").value == 12.0
    bad = app_at(PAGE, query={"tf": "eNqrVkrOz8lJTVGyUgpJLS5RqgUAY5gIHg"[:-6]})
    assert not bad.exception
    assert any("damaged" in w.value for w in bad.warning)
    assert _names(bad)[0] == "RandomResizedCrop"


def test_an_impossible_step_is_reported_with_earlier_stages_kept():
    steps = [make_step("Resize", {"size": 32}, "s0"), make_step("Normalize", {}, "s1"),
             make_step("ToImage", {}, "s2")]
    at = app_at(PAGE, query={"tf": encode_url(steps, 0)})
    assert not at.exception
    errors = [_plain(e.value) for e in at.error]
    assert len(errors) == 1 and "Step 2 (Normalize) cannot run here" in errors[0] and "PIL image" in errors[0]
    assert _titles(at) == ["Input", "Resize"]


@pytest.mark.slow
def test_random_outcomes_export_and_dataset_tabs(at):
    at.session_state["tf_tab"] = "Random outcomes"
    at.run()
    at.slider(key="tf_grid_n").set_value(8).run()
    assert not at.exception
    outcomes = _cards(at, "tf-outcomes")
    assert [o.split(" RandomResizedCrop")[0] for o in outcomes] == [f"seed {k}" for k in range(8)]
    assert sum("RandomResizedCrop: crop" in o for o in outcomes) == 8

    at.session_state["tf_tab"] = "Export & share"
    at.run()
    code = at.code[0].value
    assert "v2.RandomResizedCrop(size=224" in code and "SEED = 0" in code and "astronaut.jpg" in code
    assert "class RandomSaltAndPepper(v2.Transform)" in at.code[1].value

    at.session_state["tf_tab"] = "Dataset & DataLoader"
    at.run()
    assert not at.error  # the default (ImageNet) pipeline opens on the sample photos, which it fits
    assert at.segmented_control(key="tf_ds_source").value == "Sample photos"
    status = [m.value for m in at.markdown if m.value.startswith("**Epoch")]
    assert status[0].startswith("**Epoch 1, iteration 1 of 5**") and "(20, 3, 224, 224)" in status[0]
    at.segmented_control(key="tf_ds_source").set_value("MNIST sample").run()
    assert any("3 mean values" in _plain(e.value) for e in at.error)  # ImageNet pipeline on grey digits
    at.button(key="tf_ds_fix").click().run()
    assert _names(at)[0] == "RandomAffine"
    status = [m.value for m in at.markdown if m.value.startswith("**Epoch")]
    assert status[0].startswith("**Epoch 1, iteration 1 of 5**") and "(20, 1, 28, 28)" in status[0]
    assert any("100/20 = 5.00" in m.value for m in at.markdown)
    for _ in range(5):
        at.button(key="tf_ds_next").click().run()
    status = [m.value for m in at.markdown if m.value.startswith("**Epoch")]
    assert status[0].startswith("**Epoch 2, iteration 1 of 5**")
    at.toggle(key="tf_ds_drop").set_value(True).run()
    at.number_input(key="tf_ds_batch").set_value(30).run()
    status = [m.value for m in at.markdown if m.value.startswith("**Epoch")]
    assert status[0].startswith("**Epoch 1, iteration 1 of 3**") and "(30, 1, 28, 28)" in status[0]
    assert "class PipelineDataset(Dataset)" in at.code[0].value
    assert not at.exception


def test_projector_mode_renders():
    at = app_at(PAGE, query={"projector": "1", "tf": encode_url(preset_steps("MNIST training augmentation"), 0)})
    assert not at.exception
    assert _names(at)[0] == "RandomAffine"
