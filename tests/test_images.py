"""models.images: every kind of upload either decodes correctly or gives a clear ImageError."""

import io

import numpy as np
import pytest
from PIL import Image

from models.images import MAX_SIDE, SAMPLES, ImageError, load_image, load_sample, to_gray


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF"])
def test_every_supported_format_decodes(fmt):
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    out = load_image(_encode(img, fmt))
    assert out.rgb.shape == (30, 40, 3) and out.rgb.dtype == np.float32
    assert out.rgb[..., 0].mean() > 0.7 and out.rgb[..., 2].mean() < 0.2


def test_gif_uses_first_frame():
    frames = [Image.new("L", (10, 10), v) for v in (0, 255)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    out = load_image(buf.getvalue())
    assert out.rgb.max() == 0.0
    assert any("first" in n for n in out.notes)


def test_exif_orientation_is_respected():
    img = Image.new("RGB", (60, 20), (0, 0, 0))
    img.paste((255, 255, 255), (0, 0, 10, 20))  # white on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW for display
    out = load_image(_encode(img, "JPEG", exif=exif, quality=95))
    assert out.rgb.shape[:2] == (60, 20)
    assert out.rgb[:10].mean() > 0.8  # the white strip is now on top
    assert any("EXIF" in n for n in out.notes)


def test_large_image_is_downscaled_with_a_note():
    out = load_image(_encode(Image.new("RGB", (3000, 1500)), "PNG"))
    assert max(out.rgb.shape[:2]) == MAX_SIDE
    assert any("Downscaled from 3000x1500" in n for n in out.notes)


def test_decompression_bomb_is_refused_before_decoding():
    header_only = _encode(Image.new("1", (8000, 6000)), "PNG")  # 48 MP, tiny file
    with pytest.raises(ImageError, match="megapixels"):
        load_image(header_only)


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"%PDF-1.4 fake"])
def test_non_images_are_refused(data):
    with pytest.raises(ImageError):
        load_image(data)


def test_truncated_file_is_refused():
    data = _encode(Image.effect_noise((200, 200), 50).convert("RGB"), "PNG")
    with pytest.raises(ImageError, match="damaged|not an image"):
        load_image(data[: len(data) // 2])


def test_one_pixel_image_is_refused_with_reason():
    with pytest.raises(ImageError, match="1x1"):
        load_image(_encode(Image.new("RGB", (1, 1)), "PNG"))


def test_16bit_cmyk_palette_and_alpha_images_convert():
    sixteen = Image.fromarray(np.full((8, 8), 65535, dtype=np.uint16))
    assert load_image(_encode(sixteen, "PNG")).rgb.min() == pytest.approx(1.0)
    cmyk = Image.new("CMYK", (8, 8), (0, 0, 0, 0))  # no ink = white
    assert load_image(_encode(cmyk, "JPEG")).rgb.mean() > 0.95
    pal = Image.new("RGB", (8, 8), (0, 0, 255)).convert("P")
    assert load_image(_encode(pal, "PNG")).rgb[..., 2].mean() > 0.95
    clear = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    out = load_image(_encode(clear, "PNG"))
    assert out.rgb.min() == 1.0 and any("white background" in n for n in out.notes)


def test_samples_load_and_gray_matches_pil():
    for name in SAMPLES:
        assert load_sample(name).rgb.ndim == 3
    rgb = load_sample("cat").rgb
    pil_gray = np.asarray(Image.fromarray((rgb * 255).round().astype(np.uint8)).convert("L"), np.float32) / 255
    assert np.abs(to_gray(rgb) - pil_gray).max() < 2 / 255
