"""Transforms page in headless chromium: build a 4-step pipeline, resample, download the code (and run it),
load pipeline files, share the link, and look at it in normal and projector mode."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from models.images import load_sample
from models.pipeline import run_stages, to_pil
from models.pipeline_io import decode_url
from testkit.browser import choose_part, enter_value, goto, no_exceptions, shot, wait_idle
from testkit.server import ROOT

pytestmark = pytest.mark.e2e

MAIN = '[data-testid="stMain"]'


def choose(page, key: str, option: str) -> None:
    wait_idle(page)
    for _attempt in range(4):  # a rerun that lands mid-selection redraws the list; choose again, as a person would
        box = page.locator(f".st-key-{key} input[role=combobox]")
        box.click()
        box.fill(option)
        try:
            page.locator("[role=option]", has_text=re.compile(f"^{re.escape(option)}$")).click(timeout=8_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_idle(page)
    else:
        raise AssertionError(f"could not choose {option!r} in {key}")
    wait_idle(page)


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").first.click()
    wait_idle(page)


@pytest.fixture(scope="module", autouse=True)
def warm_server(browser, live_server):
    """Open the app once: on a server that has never served a page, the first visit to a page URL shows
    Streamlit's "Page not found" dialog over the page (on every page; reported to the core owner)."""
    page = browser.new_page()
    goto(page, live_server, "transforms")
    page.close()


def watch_failures(page) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    return failed


def assert_no_errors(page, failed: list[str]) -> None:
    """No failed request and no console error, except Streamlit's own probe of /<page>/_stcore/health and
    /<page>/_stcore/host-config when a page URL is opened directly (it then retries at the root)."""
    probes = [u for u in failed if u.endswith(("/_stcore/health", "/_stcore/host-config"))]
    assert [u for u in failed if u not in probes] == []
    others = [e for e in page.console_errors if "404" not in e]
    assert others == [] and len(page.console_errors) - len(others) <= len(probes), page.console_errors


def images_loaded(page, at_least: int) -> None:
    page.wait_for_function(
        "n => { const imgs = [...document.querySelectorAll('[data-testid=stMain] img')];"
        " return imgs.length >= n && imgs.every(i => i.complete && i.naturalWidth > 0); }", arg=at_least)


def step_title_labels(page):
    """The editor's step titles ("2. RandomRotation"), one per step."""
    return page.locator(".st-key-tf_editor [data-testid='stMarkdownContainer'] strong").filter(has_text=". ")


def step_titles(page) -> list[str]:
    return [t.split(". ", 1)[1].replace(" · off", "") for t in step_title_labels(page).all_inner_texts()]


def build_four_steps(page) -> None:
    click(page, "tf_clear")
    page.locator(MAIN).get_by_text("The pipeline is empty").wait_for()
    names = ["Resize", "RandomRotation", "ToImage", "ToDtype"]
    for k, name in enumerate(names):
        choose(page, "tf_add", name)
        click(page, "tf_add_btn")
        expect(step_title_labels(page)).to_have_count(k + 1)
    assert step_titles(page) == names


def test_build_resample_and_download_code(page, live_server, tmp_path):
    failed = watch_failures(page)
    goto(page, live_server, "transforms")
    no_exceptions(page)
    build_four_steps(page)
    size = page.locator(".st-key-tf_step_s6_size input")  # ids s0..s5 were the default preset, s6 = Resize
    size.fill("128")
    size.press("Enter")
    wait_idle(page)
    main = page.locator(MAIN)
    main.get_by_text("shape (3, 128, 128) (C, H, W)").first.wait_for()
    drew_before = main.get_by_text("drew: angle").first.inner_text()
    seed_before = page.locator(".st-key-tf_seed input").input_value()
    click(page, "tf_resample")
    expect(page.locator(".st-key-tf_seed input")).not_to_have_value(seed_before)
    wait_idle(page)
    seed = int(page.locator(".st-key-tf_seed input").input_value())
    main.get_by_text("drew: angle").first.wait_for()
    images_loaded(page, 5)
    assert main.get_by_text("drew: angle").first.inner_text() != drew_before or seed == int(seed_before)
    shot(page, "transforms_four_steps")

    choose_part(page, "Random outcomes")
    wait_idle(page)
    main.get_by_text(f"seed {seed + 11}", exact=True).wait_for()
    assert main.get_by_text("RandomRotation:").count() == 12
    images_loaded(page, 12)
    shot(page, "transforms_random_grid")

    choose_part(page, "Export & share")
    wait_idle(page)
    with page.expect_download() as info:
        page.locator(".st-key-tf_dl_code button").click()
    code = open(info.value.path()).read()
    assert "v2.Resize(size=128" in code and "v2.RandomRotation(degrees=30.0" in code
    assert "v2.ToDtype(dtype=torch.float32, scale=True)" in code and f"SEED = {seed}" in code
    assert "assets/samples/astronaut.jpg" in code
    script = tmp_path / "pipeline.py"
    script.write_text(code + f'\ntorch.save(out.as_subclass(torch.Tensor), r"{tmp_path / "out.pt"}")\n')
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    steps, url_seed = decode_url(page.url.split("tf=")[1].split("&")[0])
    assert url_seed == seed
    shown = run_stages(steps, to_pil(load_sample("astronaut").rgb), seed).output
    assert torch.equal(torch.load(tmp_path / "out.pt"), shown.as_subclass(torch.Tensor))
    no_exceptions(page)
    assert_no_errors(page, failed)


def test_pipeline_files_and_shared_link(page, live_server, tmp_path):
    goto(page, live_server, "transforms")
    choose_part(page, "Export & share")
    wait_idle(page)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "convlab-transform-pipeline", "version": 1,
                               "steps": [{"transform": "RandomSolarize"}]}))
    page.locator(".st-key-tf_import input[type=file]").set_input_files(str(bad))
    wait_idle(page)
    page.locator(MAIN).get_by_text("unknown transform 'RandomSolarize'").wait_for()
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": "convlab-transform-pipeline", "version": 1, "seed": 5, "steps": [
        {"transform": "Grayscale", "params": {"num_output_channels": 1}},
        {"transform": "ToImage"}, {"transform": "ToDtype"}, {"transform": "Normalize"}]}))
    page.locator(".st-key-tf_import input[type=file]").set_input_files(str(good))
    wait_idle(page)
    page.locator(MAIN).get_by_text("Loaded good.json").wait_for()
    assert step_titles(page) == ["Grayscale", "ToImage", "ToDtype", "Normalize"]
    choose_part(page, "Stages")
    wait_idle(page)
    page.locator(MAIN).get_by_text("Step 4 (Normalize) cannot run here").wait_for()
    shot(page, "transforms_impossible_step")
    page.wait_for_url(lambda url: "tf=" in url and decode_url(url.split("tf=")[1].split("&")[0])[1] == 5)
    link = page.url
    other = page.context.new_page()
    goto(other, link.split("/transforms")[0], "transforms", link.split("?", 1)[1])
    assert step_titles(other) == ["Grayscale", "ToImage", "ToDtype", "Normalize"]
    expect(other.locator(".st-key-tf_seed input")).to_have_value("5")
    other.close()


def test_dataloader_and_projector_screenshots(page, live_server):
    failed = watch_failures(page)
    goto(page, live_server, "transforms", query="projector=1")
    no_exceptions(page)
    shot(page, "transforms_projector")
    choose(page, "tf_preset", "MNIST training augmentation")  # loads on selection
    choose_part(page, "Dataset & DataLoader")
    wait_idle(page)
    main = page.locator(MAIN)
    main.get_by_text("Epoch 1, iteration 1 of 5").wait_for()
    click(page, "tf_ds_next")
    main.get_by_text("Epoch 1, iteration 2 of 5").wait_for()
    shot(page, "transforms_dataloader_projector")
    goto(page, live_server, "transforms")
    choose_part(page, "Dataset & DataLoader")
    wait_idle(page)
    shot(page, "transforms_dataloader_normal")
    no_exceptions(page)
    assert_no_errors(page, failed)


SETTINGS_JS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('[class*="st-key-tf_"]')) {
    const key = [...el.classList].find(c => c.startsWith('st-key-tf_')).slice(7);
    if (key.startsWith('tf_img_upload') || key.endsWith('__card') || key === 'tf_editor') continue;
    const inputs = [...el.querySelectorAll('input, [role=slider], [role=switch], button[aria-pressed]')];
    const values = inputs.map(i => i.getAttribute('role') === 'slider' ? i.getAttribute('aria-valuenow')
      : i.type === 'checkbox' ? String(i.checked) : i.hasAttribute('aria-pressed') ? i.getAttribute('aria-pressed')
      : i.value);
    if (values.length) out[key] = values.join('|');
  }
  return out;
}"""


def settings(page) -> dict:
    return page.evaluate(SETTINGS_JS)


def test_settings_survive_sample_upload_sample(page, live_server, tmp_path):
    """Change every kind of setting, switch the image source to Upload, upload a picture, switch back to
    Sample: every setting (step parameters, on/off, Normalize's mean and std, seed, sample image) is unchanged."""
    from PIL import Image

    goto(page, live_server, "transforms")
    choose(page, "tf_img_sample", "Cat (photo)")
    enter_value(page, ".st-key-tf_step_s0_size input", "160")
    page.locator(".st-key-tf_step_s1__on label").click()  # RandomHorizontalFlip off
    wait_idle(page)
    enter_value(page, ".st-key-tf_step_s5_mean input", "0.5, 0.4, 0.3")
    enter_value(page, ".st-key-tf_seed input", "7")
    page.locator(MAIN).get_by_text("shape (3, 160, 160) (C, H, W)").first.wait_for()
    before = settings(page)
    assert before["tf_step_s0_size"] == "160" and before["tf_step_s1__on"] == "false"
    assert before["tf_step_s5_mean"] == "0.5, 0.4, 0.3" and before["tf_seed"] == "7"
    assert before["tf_step_s2_brightness"] == "0.4" and before["tf_step_s5_std"] == "0.229, 0.224, 0.225"

    page.locator(".st-key-tf_img_source button", has_text="Upload").click()
    wait_idle(page)
    page.locator(MAIN).get_by_text("No image yet").first.wait_for()
    assert step_titles(page)[:2] == ["RandomResizedCrop", "RandomHorizontalFlip"]  # the editor is still drawn
    upload = tmp_path / "stripes.png"
    Image.fromarray((np.indices((300, 400)).sum(0) % 40 > 20).astype(np.uint8) * 255).convert("RGB").save(upload)
    page.locator(".st-key-tf_img_upload input[type=file]").set_input_files(str(upload))
    wait_idle(page)
    page.locator(MAIN).get_by_text("400×300 RGB").first.wait_for()
    during = settings(page)
    assert {k: during.get(k) for k in before if not k.startswith("tf_img")} == \
        {k: v for k, v in before.items() if not k.startswith("tf_img")}

    page.locator(".st-key-tf_img_source button", has_text="Sample").click()
    wait_idle(page)
    page.locator(MAIN).get_by_text("shape (3, 160, 160) (C, H, W)").first.wait_for()
    assert settings(page) == before
    assert page.locator(".st-key-tf_img_sample input").input_value() == "Cat (photo)"
    no_exceptions(page)


LAYOUTS = [("1024x768_projector", 1024, 768, True), ("1366x768_normal", 1366, 768, False),
           ("1920x1080_projector", 1920, 1080, True)]


@pytest.mark.parametrize("name,width,height,projector", LAYOUTS, ids=[n for n, *_ in LAYOUTS])
def test_layouts_screenshots(browser, live_server, name, width, height, projector):
    """The page at the three classroom layouts, for a person to look at; nothing wider than the window."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        goto(page, live_server, "transforms", "projector=1" if projector else "")
        images_loaded(page, 5)
        page.locator(".st-key-tf_step_s0_size input").wait_for()  # widgets drawn (not loading placeholders)
        page.locator(".st-key-tf_seed input").wait_for()
        shot(page, f"transforms_{name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        choose_part(page, "Random outcomes")
        wait_idle(page)
        images_loaded(page, 8)
        shot(page, f"transforms_{name}_outcomes")
        choose_part(page, "Dataset & DataLoader")
        wait_idle(page)
        page.locator(MAIN).get_by_text("Epoch 1, iteration 1 of 5").wait_for()
        shot(page, f"transforms_{name}_dataloader")
        no_exceptions(page)
        editor = page.locator(".st-key-tf_editor")
        for label in ("Up", "Down", "Remove"):  # the step buttons have names, not icon ligatures
            assert editor.get_by_role("button", name=label, exact=True).count() >= 6
        assert page.get_by_role("button", name=re.compile("arrow_|_icon| icon")).count() == 0
    finally:
        context.close()
