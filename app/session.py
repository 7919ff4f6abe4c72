"""The few session-state keys that cross pages. Page-own keys live in app/pages/<page>/state.py."""

from components.theme import PROJECTOR_KEY

PROJECTOR = PROJECTOR_KEY  # bool: projector mode on (mirrored in the URL as ?projector=1); owned by app/main.py

# Anatomy & training -> Draw a digit
TRAINED_MODEL = "trained_model"  # MnistCNN in eval mode trained on the Anatomy page, this session only
TRAINED_MODEL_INFO = "trained_model_info"  # dict: epochs, test accuracy, when; labels it on the Digits page
