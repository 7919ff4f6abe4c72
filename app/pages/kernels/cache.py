"""The Kernels page's cache wrappers: thin calls into models/, keyed by content ids."""

import streamlit as st


@st.cache_resource(max_entries=16, ttl=1800, show_spinner=False)
def kernel_output(image_id: str, _image, kernel_bytes: bytes, size: int, settings):
    """models.convolution.convolve for one (image, kernel, settings); `_image` is identified by image_id.

    A resource (no pickled copy per hit): the array is shared, so it is returned read-only.
    """
    import numpy as np

    from models.convolution import convolve
    from models.torch_threads import one_torch_thread

    one_torch_thread()  # on the shared 2-core server one thread is faster than a pool for one image
    kernel = np.frombuffer(kernel_bytes, dtype=np.float64).reshape(size, size)
    out = convolve(_image, kernel, settings)
    out.flags.writeable = False
    return out


@st.cache_resource(max_entries=8, ttl=1800, show_spinner=False)
def kernel_input_picture(image_id: str, _image, height: int, width: int) -> tuple[bytes, str]:
    """The input image at display size (height, width, 3) as (file bytes, mimetype), made once per image."""
    import numpy as np

    from components.kernel_display import fit
    from components.media import picture_bytes

    rgb = np.repeat(_image[..., None], 3, axis=2) if _image.ndim == 2 else _image
    return picture_bytes(fit((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8), height, width),
                         exact=height > 1.5 * _image.shape[0])


@st.cache_resource(show_spinner=False)
def learned_conv1():
    """(weights (10,3,3), biases (10,)) of the digit CNN's conv1. WeightsError propagates (not cached)."""
    from models.mnist_cnn import load_pretrained

    conv = load_pretrained().conv1
    return conv.weight.detach().double().numpy()[:, 0].copy(), conv.bias.detach().double().numpy().copy()
