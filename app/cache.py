"""Every st.cache_resource / st.cache_data wrapper in ConvLab lives here.

Heavy modules (torch, torchvision, models.*) are imported inside the functions, so importing
this file from Home costs nothing. Each page issue appends its own wrappers below.
"""

import streamlit as st  # noqa: F401  (used by the wrappers below)


# --- Draw a digit page (issue 7) ---
@st.cache_resource(show_spinner="Loading the digit model…")
def digit_model():
    """The shipped MnistCNN in eval mode, shared by all sessions (read-only). WeightsError propagates.

    torch runs single-threaded: on a busy 2-core machine its thread pool made a 0.1 ms forward
    pass take ~50 ms.
    """
    import torch

    from models.mnist_cnn import load_pretrained

    torch.set_num_threads(1)
    return load_pretrained()


@st.cache_resource(show_spinner=False)
def digit_test_sample():
    from models.digit_gallery import load_test_sample

    return load_test_sample()


@st.cache_resource(show_spinner=False, max_entries=8)
def digit_test_predictions(_model, model_id: str):
    """Predictions for the whole shipped test sample under one model (model_id names it)."""
    from models.digit_gallery import predict_all

    return predict_all(_model, digit_test_sample().images)


@st.cache_data(max_entries=16, show_spinner=False)
def kernel_picture(weights_bytes: bytes, _weights):
    """(PNG data URL, (height, width)) of a conv layer's kernel mosaic; keyed by the weights' bytes."""
    from components.feature_maps import kernel_mosaic, png_data_url

    rgb = kernel_mosaic(_weights)
    return png_data_url(rgb), rgb.shape[:2]


# --- Kernels page (issue 4) ---
@st.cache_resource(max_entries=16, show_spinner=False)
def kernel_output(image_id: str, _image, kernel_bytes: bytes, size: int, settings):
    """models.convolution.convolve for one (image, kernel, settings); `_image` is identified by image_id.

    A resource (no pickled copy per hit): the array is shared, so it is returned read-only.
    """
    import numpy as np

    from models.convolution import convolve

    kernel = np.frombuffer(kernel_bytes, dtype=np.float64).reshape(size, size)
    out = convolve(_image, kernel, settings)
    out.flags.writeable = False
    return out


@st.cache_resource(max_entries=8, show_spinner=False)
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


# --- Transforms page (issue 6) ---
@st.cache_resource(max_entries=32, show_spinner=False)
def tf_stages(image_id: str, _image, pipeline_code: str, _steps, seed: int):
    """models.pipeline.run_stages, identified by the image id and the pipeline's URL code (read-only result)."""
    from models.pipeline import run_stages

    return run_stages(_steps, _image, seed)


@st.cache_resource(max_entries=16, show_spinner=False)
def tf_outcomes(image_id: str, _image, pipeline_code: str, _steps, seed: int, n: int):
    from models.pipeline import sample_outcomes

    return sample_outcomes(_steps, _image, seed, n)


@st.cache_data(max_entries=4, show_spinner=False)
def tf_dataset_arrays(source: str):
    """(images, labels, class names) for the Dataset demo: the shipped MNIST sample or small sample photos."""
    from models.digit_dataset import dataset_arrays

    return dataset_arrays(source)


# --- Anatomy & training page (issue 8) ---
@st.cache_resource(max_entries=2, show_spinner="Loading MNIST training digits…")
def anatomy_train_digits(which: str):
    """(images (N,28,28) uint8, labels (N,)): "subset" = shipped 10k, "full" = 60k MNIST from the data root."""
    from models import data

    if which == "full":
        return data.load_mnist(data.default_data_root(), train=True)
    return data.load_npz(data.TRAIN_SUBSET)


@st.cache_resource(show_spinner=False)
def anatomy_heldout_digits():
    """The 1000 shipped MNIST test digits used for the held-out curve."""
    from models import data

    return data.load_npz(data.TEST_SAMPLE)


@st.cache_data(max_entries=64, show_spinner=False)
def anatomy_torchinfo(spec: tuple, input_shape: tuple):
    """models.architecture.torchinfo_rows for a valid stack (a tuple of Layers)."""
    from models.architecture import torchinfo_rows

    return torchinfo_rows(list(spec), input_shape)


# --- Pooling page (issue 5) ---
@st.cache_resource(max_entries=128, show_spinner=False)
def pool_analysis(x_key: bytes, shape: tuple, spec):
    """models.pooling.analyse for the grid frombuffer(x_key).reshape(shape) (read-only; PoolingError propagates)."""
    import numpy as np

    from models.pooling import analyse

    return analyse(np.frombuffer(x_key, dtype=np.float64).reshape(shape), spec)


@st.cache_resource(max_entries=128, show_spinner=False)
def pool_gradient(x_key: bytes, shape: tuple, spec, cell):
    import numpy as np

    from models.pool_gradient import gradient_map

    return gradient_map(np.frombuffer(x_key, dtype=np.float64).reshape(shape), spec, cell)


@st.cache_resource(max_entries=16, show_spinner=False)
def pool_image_levels(image_id: str, _rgb, levels: int, kernel: int, variant: str, amount: float):
    """models.pool_images.level_views with each picture as PNG bytes. PoolImageError propagates."""
    from components.pooling_images import png
    from models.pool_images import level_views

    return [(kind, level, size, c, png(pic)) for kind, level, size, c, pic in
            level_views(_rgb, levels, kernel, variant, amount)]
