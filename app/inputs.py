"""Image input shared by the pages: a sample, an upload, or the webcam, decoded once and cached."""

import streamlit as st

from app import cache
from models.images import SAMPLE_LABELS, UPLOAD_TYPES, ImageError, LoadedImage

SOURCES = ("Sample", "Upload", "Webcam")


def choose_image(key: str, camera: bool = True, default_sample: str = "cat") -> LoadedImage | None:
    """Render the picker under widget keys prefixed by `key`; return the chosen image or None.

    Problems (a corrupt file, a non-image, a decompression bomb) are shown on the page as st.error,
    and conversions (downscaling, EXIF rotation, alpha) as a caption.
    """
    sources = SOURCES if camera else SOURCES[:2]
    source = st.segmented_control("Image source", sources, default="Sample", key=f"{key}_source") or "Sample"
    if source == "Sample":
        names = list(SAMPLE_LABELS)
        name = st.selectbox("Sample image", names, index=names.index(default_sample),
                            format_func=SAMPLE_LABELS.get, key=f"{key}_sample")
        return cache.sample_image(name)
    if source == "Upload":
        upload = st.file_uploader("Upload an image (PNG, JPEG, WebP, BMP, TIFF, GIF; up to 10 MB)",
                                  type=UPLOAD_TYPES, key=f"{key}_upload")
    else:
        upload = st.camera_input("Take a picture", key=f"{key}_camera")
    if upload is None:
        st.info("No image yet: " + ("choose a file." if source == "Upload" else "take a picture."))
        return None
    try:
        image = cache.decoded_upload(upload.getvalue(), upload.name)
    except ImageError as exc:
        st.error(f"Cannot use **{upload.name}**: {exc}")
        return None
    for note in image.notes:
        st.caption(note)
    return image
