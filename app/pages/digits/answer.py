"""The right-hand column: the chosen model's honest answer, both shipped models side by side on the same
input (domain shift), the preprocessing strip, and "Why this answer?"."""

import html

import numpy as np
import streamlit as st

from app.pages.digits import cache, state
from app.pages.digits.pictures import saliency_image, strip_image
from components import feature_maps as fm
from components.prediction import Answer, prediction
from models import digit_analysis as da
from models.confidence import ink_features, judge
from models.mnist_cnn import MODEL_CHOICES, WeightsError
from models.preprocess import PreparedDigit
from models.saliency import saliency

SHIFT = (
    "Both models are the same small CNN (27,480 learned numbers); only their training data differs. "
    "“MNIST only” learned from 60,000 digits written on paper forms by American census staff and students, "
    "scanned and centred. Pen strokes drawn on a screen look different, and some styles are rare in MNIST: "
    "a 9 with a small loop and a long tail hooking left, a 7 with a crossbar, a 1 with a long leading flag, "
    "a 4 with a closed top. When a drawing comes from outside the data a network was trained on "
    "(**domain shift**), it still has to pick one of ten digits, and it can be confidently wrong. "
    "“MNIST + pen handwriting” also learned from about 12,000 digits written on pen tablets by 212 other people. "
    "Replay a pen-written 9 or 7 from the gallery and compare the two answers below.")


_TABLE_CSS = ("<style>.dc-cmp{border-collapse:collapse;color:#000;width:100%}.dc-cmp td,.dc-cmp th{border:1px solid #888;"
              "padding:0.2em 0.5em;text-align:left}.dc-cmp caption{text-align:left;font-weight:700}"
              ".dc-a{font-weight:800;font-size:1.3em;text-align:center}</style>")


def verdict_answer(logits: np.ndarray, probs: np.ndarray, prepared: PreparedDigit, card: dict,
                   truth: int | None = None, features: dict | None = None) -> Answer:
    """Answer shown for one model: models.confidence.judge decides confident / unsure / not a digit."""
    ranking = np.argsort(-probs, kind="stable")
    verdict = judge(logits, prepared, card, features)
    return Answer(probs, int(ranking[0]), int(ranking[1]), verdict.kind, verdict.message, truth, verdict.prob)


def _card(name: str) -> dict:
    return cache.digit_card(name) if name in MODEL_CHOICES else {}


def _accuracy(card: dict, *keys: str) -> str:
    """A model card's accuracy on the first test set of `keys` it records, as "98.9 %" ("–" when none)."""
    value = next((card[k] for k in keys if k in card), None)
    value = value.get("accuracy") if isinstance(value, dict) else value
    if not isinstance(value, int | float) or not np.isfinite(value) or not 0 <= value <= 100:
        return "–"
    return f"{100 * value if value <= 1 else value:.1f} %"


def comparison(x, prepared: PreparedDigit, features: dict | None, known: dict) -> None:
    """Both shipped models on this input: answer and confidence in words, as one small table.
    features: ink_features(prepared) (None for a blank input); known: {model name: logits (10,)} already
    computed for this input."""
    rows = []
    for name, label in MODEL_CHOICES.items():
        if name in known:
            logits = known[name]
        else:
            try:
                logits = da.logits_of(cache.digit_model(name), x)
            except WeightsError:
                rows.append((label, "–", "could not be loaded", "–"))
                continue
        card = _card(name)
        verdict = judge(logits, prepared, card, features)
        kind = {"confident": f"{100 * verdict.prob:.0f}% sure", "unsure": f"not sure ({100 * verdict.prob:.0f}%)",
                "not_a_digit": "doesn't look like a digit"}.get(verdict.kind, verdict.kind)
        answer = "?" if verdict.kind == "not_a_digit" else str(int(np.argmax(logits)))
        rows.append((label, answer, kind, _accuracy(card, "unipen_validation_default", "unipen_validation")))
    body = "".join(f'<tr><td>{html.escape(m)}</td><td class="dc-a">{html.escape(a)}</td><td>{html.escape(k)}</td>'
                   f'<td>{html.escape(acc)}</td></tr>' for m, a, k, acc in rows)
    answers = {a for _, a, _, _ in rows}
    note = "The two models disagree on this drawing." if len(answers) > 1 else "Both models agree on this drawing."
    st.html(f'{_TABLE_CSS}<table class="dc-cmp" data-testid="digit-comparison"><caption>Both models, this drawing'
            '</caption><thead><tr><th>model</th><th>answer</th><th>confidence</th><th>accuracy on new pen '
            f'writers</th></tr></thead><tbody>{body}</tbody></table><div>{note}</div>')


def why(model, x, result: da.Analysis, version: int) -> None:
    if not st.toggle("Why this answer?", key=state.DIGITS_WHY):
        return
    method = st.segmented_control("Method", ["occlusion", "gradient"], key=state.DIGITS_WHY_METHOD) or "occlusion"
    heat = saliency(model, x, result.top, method)
    text = f"Red pixels pushed {result.top} up, blue ones pulled it down ({method})."
    fm.board("digits_why_board", [[fm.image_tile("digits_why", "", saliency_image(x, heat), 240, text)]],
             version=version)


def answer_column(choice, x, prepared: PreparedDigit | None, result: da.Analysis, truth, version: int) -> None:
    """Everything beside the input for one classified input."""
    prepared = prepared if prepared is not None else PreparedDigit(x, {}, empty=False)
    features = None if prepared.empty else ink_features(prepared)  # once for the three verdicts below
    logits = result.acts["logits"]
    prediction(verdict_answer(logits, result.probs, prepared, _card(choice.name), truth, features), version)
    if prepared.stages:
        fm.board("digits_strip", [[fm.image_tile("digits_strip", "", strip_image(prepared.stages), caption=(
            "what you drew → cropped to the ink → longer side fitted to 20 px → centred in 28×28 "
            "(what the model sees)"))]], version=version)
    comparison(x, prepared, features, {choice.name: logits} if choice.name in MODEL_CHOICES else {})
    st.markdown(SHIFT)
    why(choice.model, x, result, version)
