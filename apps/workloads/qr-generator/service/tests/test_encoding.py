"""encode() produces exactly the matrix qrcode itself makes, only faster."""

from __future__ import annotations

import random

import numpy as np
import pytest
import qrcode

from qr_service.encoding import LEVELS, DataTooLongError, ErrorCorrection, data_modules, encode


def _samples() -> list[str]:
    rng = random.Random(7)
    return [
        "https://example.com",
        "https://example.com/products/42?ref=campaign-7&utm_source=poster",
        "1234567890" * 30,  # numeric mode
        "HELLO WORLD $%*+-./:" * 10,  # alphanumeric mode
        "Grüße aus Köln ✓ 漢字",  # UTF-8 bytes
        "x" * 1000,  # version >= 7: version information blocks
        *(f"https://example.com/{'a' * rng.randint(1, 400)}" for _ in range(12)),
    ]


@pytest.mark.parametrize("level", list(LEVELS))
def test_matrix_identical_to_qrcode(level: ErrorCorrection) -> None:
    for data in _samples():
        reference = qrcode.QRCode(error_correction=LEVELS[level], border=0)
        reference.add_data(data)
        reference.make(fit=True)
        assert np.array_equal(encode(data, level), np.array(reference.modules, dtype=bool)), data


def test_too_long_raises() -> None:
    with pytest.raises(DataTooLongError):
        encode("x" * 3000, "L")


def test_data_modules_exclude_function_patterns() -> None:
    modules = data_modules(1)
    assert modules.shape == (21, 21)
    assert not modules[:9, :9].any()  # finder pattern, separator and format information
    assert not modules[6, :].any()  # timing pattern
    assert modules.sum() == 208  # version 1 has 26 codewords = 208 data modules
