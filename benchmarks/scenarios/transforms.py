"""Transforms budgets: a parameter change until the stage strip is redrawn (6 steps on a 512x512 photo),
a 16-outcome random grid, and the next DataLoader minibatch of 64."""

import re
import time

from benchmarks.harness import Scenario, since_input
from testkit.browser import choose_part, enter_value, wait_idle

MAIN = '[data-testid="stMain"]'
IMAGES_READY = ("n => { const imgs = [...document.querySelectorAll('[data-testid=stMain] img')];"
                " return imgs.length >= n && imgs.every(i => i.complete && i.naturalWidth > 0); }")


DONE = '[data-testid="tf-done"]'
LAST = {}  # the server CPU of the last interaction, read back by the "(server CPU)" scenarios


def _runs(page) -> int:
    return int(page.locator(DONE).get_attribute("data-run"))


def _wait_run_after(page, before: int) -> None:
    page.wait_for_function(
        f"() => {{ const d = document.querySelector('{DONE}'); return d && Number(d.dataset.run) > {before}; }}")
    LAST["cpu"] = float(page.locator(DONE).get_attribute("data-cpu-ms"))


def _choose(page, key: str, option: str) -> None:
    box = page.locator(f".st-key-{key} input[role=combobox]")
    box.click()
    box.fill(option)
    page.locator("[role=option]", has_text=re.compile(f"^{re.escape(option)}$")).click()
    wait_idle(page)


def _strip_setup(page) -> None:
    """The default pipeline (ImageNet training: 6 steps) on the 512x512 astronaut."""
    page.locator(MAIN).get_by_text("shape (3, 224, 224) (C, H, W)").first.wait_for()


def _strip_change(page, i: int) -> float:
    size = 200 + 8 * (i % 4) if i % 4 else 232
    box = page.locator("[class*='st-key-tf_step_'][class*='_size'] input").first
    box.fill(str(size))
    before = _runs(page)
    t0 = time.perf_counter()
    box.press("Enter")
    page.locator(MAIN).get_by_text(f"shape (3, {size}, {size}) (C, H, W)").first.wait_for()
    page.wait_for_function(IMAGES_READY, arg=7)
    elapsed = since_input(page, t0)
    _wait_run_after(page, before)
    return elapsed


def _grid_setup(page) -> None:
    choose_part(page, "Random outcomes")
    page.locator(".st-key-tf_grid_n").wait_for()
    wait_idle(page)
    slider = page.locator(".st-key-tf_grid_n input[type=range]")
    slider.focus()
    slider.press("End")
    wait_idle(page)
    page.locator(MAIN).get_by_text("seed 15", exact=True).wait_for()


def _grid_resample(page, i: int) -> float:
    old = page.locator(".st-key-tf_seed input").input_value()
    before = _runs(page)
    t0 = time.perf_counter()
    page.locator(".st-key-tf_resample button").click()
    page.wait_for_function(
        "old => { const t = [...document.querySelectorAll('[data-testid=stMain] strong')].map(e => e.innerText);"
        " return t.includes('seed ' + (Number(document.querySelector('.st-key-tf_seed input').value) + 15))"
        " && document.querySelector('.st-key-tf_seed input').value !== old; }", arg=old)
    page.wait_for_function(IMAGES_READY, arg=16)
    elapsed = since_input(page, t0)
    _wait_run_after(page, before)
    return elapsed


def _batch_setup(page) -> None:
    _choose(page, "tf_preset", "MNIST training augmentation")  # loads on selection
    choose_part(page, "Dataset & DataLoader")
    page.locator(".st-key-tf_ds_n").wait_for()
    wait_idle(page)
    enter_value(page, ".st-key-tf_ds_n input", "1000")
    enter_value(page, ".st-key-tf_ds_batch input", "64")
    page.locator(MAIN).get_by_text("Epoch 1, iteration 1 of 16").wait_for()


def _next_batch(page, i: int) -> float:
    epoch, it = divmod(i + 1, 16)
    before = _runs(page)
    t0 = time.perf_counter()
    page.locator(".st-key-tf_ds_next button").click()
    page.locator(MAIN).get_by_text(f"Epoch {epoch + 1}, iteration {it + 1} of 16").wait_for()
    page.wait_for_function(IMAGES_READY, arg=1)
    elapsed = since_input(page, t0)
    _wait_run_after(page, before)
    return elapsed


def _cpu_of(interact):
    """The same interaction, reporting the CPU time of the server's script thread instead of the round trip."""
    def run(page, i: int) -> float:
        interact(page, i)
        return LAST["cpu"]
    return run


SCENARIOS = [
    Scenario("transforms: param change -> stage strip", "transforms", _strip_change, budget_ms=250,
             setup=_strip_setup, issue=6, notes="6-step ImageNet-training pipeline on the 512x512 astronaut; "
                                                "RandomResizedCrop size typed, until all 7 stage images load"),
    Scenario("transforms: 16-outcome random grid", "transforms", _grid_resample, budget_ms=600,
             setup=_grid_setup, repeats=10, issue=6, notes="Resample with 16 outcomes, until all images load"),
    Scenario("transforms: next minibatch of 64", "transforms", _next_batch, budget_ms=200, setup=_batch_setup,
             issue=6, notes="MNIST sample, MNIST training augmentation, batch_size 64, shuffle on"),
]
CPU_NOTE = "; CPU time of the server's script thread (not inflated by other processes on a busy machine)"
SCENARIOS += [Scenario(f"{sc.name} (server CPU)", sc.url_path, _cpu_of(sc.interact), sc.budget_ms, sc.setup,
                       sc.repeats, issue=6, notes=sc.notes + CPU_NOTE) for sc in list(SCENARIOS)]
