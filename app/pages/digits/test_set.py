"""The "Test set" input: a digit from the shipped MNIST test sample, or one the model gets wrong."""

import numpy as np
import streamlit as st

from app.fragments import rerun_page
from app.pages.digits import state
from app.pages.digits.pictures import fit_tile
from components import feature_maps as fm
from models.digit_gallery import misclassified


def pick_test_digit(sample, preds) -> None:
    """Choose a digit from the shipped MNIST test sample (its index goes to state.DIGITS_TEST_INDEX); every
    choice reruns the whole page."""
    wrong = misclassified(sample.labels, preds)
    kind = st.segmented_control("Which digits", ["All digits", "Misclassified"],
                                format_func=lambda k: f"{k} ({len(wrong)})" if k == "Misclassified" else k,
                                key=state.DIGITS_GALLERY, on_change=rerun_page) or "All digits"
    count = len(sample.labels)
    if kind == "All digits":
        st.session_state[state.DIGITS_PICK] = int(np.clip(st.session_state[state.DIGITS_PICK], 1, count))
        idx = int(st.number_input(f"Test digit number (1–{count})", 1, count, key=state.DIGITS_PICK,
                                    on_change=rerun_page)) - 1
    elif len(wrong) == 0:
        st.success("This model classifies every digit in the test sample correctly.")
        idx = 0
    else:
        gallery = sample.images[wrong[:40]].astype(np.float32)
        tile = fm.map_tile("gallery", "Click one (the most confidently wrong first)", gallery,
                           np.tile([0.0, 255.0], (len(gallery), 1)), 8, 28, lut=fm.GREY_LUT)
        picked = fm.board("digits_gallery_img", [[tile]])
        choices = [int(i) for i in wrong]
        if (picked is not None and picked[1] < len(choices)
                and st.session_state.get(state.DIGITS_PICK_WRONG) != choices[picked[1]]):
            st.session_state[state.DIGITS_PICK_WRONG] = choices[picked[1]]
            st.rerun()
        if st.session_state.get(state.DIGITS_PICK_WRONG) not in choices:
            st.session_state[state.DIGITS_PICK_WRONG] = choices[0]
        idx = st.selectbox("Misclassified digit", choices, key=state.DIGITS_PICK_WRONG, on_change=rerun_page,
                           format_func=lambda i: f"#{i + 1}: really {sample.labels[i]}, model says "
                                                 f"{preds.predicted[i]} ({100 * preds.confidence[i]:.0f}%)")
    image = sample.images[int(idx)]
    fm.board("digits_test_img", [[fm.image_tile("test-digit", "", fit_tile(image, 168),
                                                 caption=f"Test digit #{int(idx) + 1}")]])
    st.session_state[state.DIGITS_TEST_INDEX] = int(idx)
