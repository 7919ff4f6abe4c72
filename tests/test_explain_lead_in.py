"""components.layout.explain: the bold lead-in ends with exactly one punctuation mark."""

import pytest

from components import layout


@pytest.mark.parametrize(("label", "lead"), [("What is a kernel?", "**What is a kernel?** "),
                                             ("How a CNN is built", "**How a CNN is built.** "),
                                             ("Explanation", "")])
def test_lead_in_punctuation(monkeypatch, label, lead):
    shown = []
    monkeypatch.setattr(layout.st, "markdown", shown.append)
    layout.explain("Body text.", label=label)
    assert shown == [f"{lead}Body text."]
