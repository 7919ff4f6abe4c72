"""Image input shared by the pages: a sample, an upload, or the webcam, decoded once and cached.

Returns plain values (a models.images.LoadedImage or None); the page decides what to draw without one,
and must still draw its settings (never st.stop() here or before them).
"""

import streamlit as st

from components.layout import plain
from models.images import SAMPLE_LABELS, UPLOAD_TYPES, ImageError, LoadedImage

SOURCES = ("Sample", "Upload", "Webcam")


# Uploads are per student: few entries, and they expire, so a class cannot fill the server's memory.
@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def decoded_upload(data: bytes, name: str) -> LoadedImage:
    """Decode uploaded/webcam bytes once per distinct file; ImageError propagates to the caller."""
    from models.images import load_image

    return load_image(data, name=name)


@st.cache_data(max_entries=16, show_spinner=False)
def sample_image(name: str) -> LoadedImage:
    from models.images import load_sample

    return load_sample(name)


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
        return sample_image(name)
    if source == "Upload":
        upload = st.file_uploader("Upload an image (PNG, JPEG, WebP, BMP, TIFF, GIF; up to 10 MB)",
                                  type=UPLOAD_TYPES, key=f"{key}_upload")
    else:
        upload = st.camera_input("Take a picture", key=f"{key}_camera")
    if upload is None:
        st.info("No image yet: " + ("choose a file." if source == "Upload" else "take a picture."))
        return None
    try:
        image = decoded_upload(upload.getvalue(), upload.name)
    except ImageError as exc:
        st.error(plain(f"Cannot use {upload.name}: {exc}"))
        return None
    for note in image.notes:
        st.caption(plain(note))
    return image
