"""Data to QR module matrix: qrcode builds the symbol, masking.py picks its mask."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
import qrcode
import qrcode.constants
import qrcode.exceptions

from qr_service.masking import Matrix, best_mask, mask_patterns

ErrorCorrection = Literal["L", "M", "Q", "H"]

LEVELS: dict[ErrorCorrection, int] = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
# Bytes that fit in a version-40 symbol in byte mode, per level (ISO/IEC 18004, table 7).
BYTE_CAPACITY: dict[ErrorCorrection, int] = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}


class DataTooLongError(ValueError):
    """The data does not fit in the largest QR symbol at the requested error correction."""


@lru_cache(maxsize=40)
def data_modules(version: int) -> Matrix:
    """Modules of a symbol of `version` that carry data (and so are masked)."""
    symbol = qrcode.QRCode(version=version, border=0)
    symbol.modules_count = version * 4 + 17
    symbol.makeImpl(True, 0)  # fills qrcode's cache of function patterns for this version
    blank = qrcode.main.precomputed_qr_blanks[version]
    symbol.modules = [list(row) for row in blank]
    symbol.setup_type_info(True, 0)
    if version >= 7:
        symbol.setup_type_number(True)
    modules = np.array([[cell is None for cell in row] for row in symbol.modules])
    modules.flags.writeable = False
    return modules


def encode(data: str, error_correction: ErrorCorrection) -> Matrix:
    """The module matrix (True = dark, no quiet zone) qrcode makes for `data`.

    Raises DataTooLongError when `data` does not fit in a version-40 symbol.
    """
    symbol = qrcode.QRCode(error_correction=LEVELS[error_correction], border=0)
    symbol.add_data(data)
    try:
        symbol.best_fit()
    except (qrcode.exceptions.DataOverflowError, ValueError):  # ValueError: past version 40
        raise DataTooLongError(data) from None
    symbol.makeImpl(True, 0)  # the symbol as qrcode scores it: mask 0, format information light
    data_mask = data_modules(symbol.version)
    unmasked = np.array(symbol.modules, dtype=np.bool_) ^ (mask_zero(symbol.version) & data_mask)
    mask = best_mask(unmasked, data_mask)
    # The chosen mask over the data, then qrcode writes the real format (and version) bits.
    symbol.modules = (unmasked ^ (mask_patterns(unmasked.shape[0])[mask] & data_mask)).tolist()
    symbol.setup_type_info(False, mask)
    if symbol.version >= 7:
        symbol.setup_type_number(False)
    return np.array(symbol.modules, dtype=np.bool_)


@lru_cache(maxsize=40)
def mask_zero(version: int) -> Matrix:
    """Mask pattern 0 over a whole symbol of `version`."""
    rows, cols = np.indices((version * 4 + 17,) * 2)
    pattern: Matrix = (rows + cols) % 2 == 0
    pattern.flags.writeable = False
    return pattern
