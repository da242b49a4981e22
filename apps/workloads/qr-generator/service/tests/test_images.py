"""PNG and SVG writers: decodable, right size, and the SVG draws exactly the matrix."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import zxingcpp
from PIL import Image as PILImage

from qr_service import images
from qr_service.encoding import encode


@pytest.mark.parametrize(("data", "scale"), [("https://example.com/a?b=c", 10), ("Größe ✓", 1)])
def test_png_decodes_to_the_data(data: str, scale: int) -> None:
    matrix = encode(data, "M")
    image = images.png(matrix, scale)
    assert image.content_type == "image/png"
    picture = PILImage.open(io.BytesIO(image.body))
    picture.load()  # verifies the zlib stream and CRCs
    side = (matrix.shape[0] + 2 * images.QUIET_ZONE) * scale
    assert picture.size == (side, side)
    assert picture.mode == "1"
    upscaled = picture.resize((side * 4 // scale,) * 2) if scale == 1 else picture
    assert [r.text for r in zxingcpp.read_barcodes(upscaled)] == [data]


def test_png_pixels_match_matrix() -> None:
    matrix = encode("https://example.com", "H")
    picture = PILImage.open(io.BytesIO(images.png(matrix, 3).body))
    pixels = np.array(picture.convert("L")) < 128
    expected = np.kron(np.pad(matrix, images.QUIET_ZONE), np.ones((3, 3), dtype=bool))
    assert np.array_equal(pixels, expected)


def test_svg_paths_redraw_the_matrix() -> None:
    matrix = encode("https://example.com/svg", "Q")
    image = images.svg(matrix, 8)
    text = image.body.decode()
    side = matrix.shape[0] + 2 * images.QUIET_ZONE
    assert image.content_type == "image/svg+xml"
    assert f'width="{side * 8}" height="{side * 8}" viewBox="0 0 {side} {side}"' in text
    drawn = np.zeros((side, side), dtype=bool)
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", text):
        drawn[int(y), int(x) : int(x) + int(length)] = True
    assert np.array_equal(drawn, np.pad(matrix, images.QUIET_ZONE))
