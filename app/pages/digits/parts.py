"""The parts of the Draw-a-digit page (keyed fragments) and what reruns them.

- INPUT: the input column (source switch, canvas or test digit, pen width, pen gallery).
- ANSWER: the answer column (prediction, preprocessing strip, both models, "Why this answer?").
- DIAGRAM: the network diagram.  SETTINGS: the map settings.  MAPS: the feature maps and the zoomed map.

A drawing the browser sends reruns OUTPUTS (answer, diagram, maps) and nothing else; a map setting reruns
MAPS; a model switch reruns OUTPUTS; a new input source or test digit reruns the whole page."""

INPUT, ANSWER, DIAGRAM, SETTINGS, MAPS = "digits-input", "digits-answer", "digits-diagram", "digits-settings", "digits-maps"
OUTPUTS = (ANSWER, DIAGRAM, MAPS)
