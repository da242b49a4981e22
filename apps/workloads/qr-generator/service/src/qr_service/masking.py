"""Mask selection for QR codes: qrcode's penalty rules, scored for all eight masks at once.

qrcode picks the mask by rebuilding the symbol eight times and scoring each with a pure-Python
penalty (`qrcode.util.lost_point`), which is most of its encoding time. This module scores the
same eight candidates with numpy and picks the same mask, so the symbol is bit-for-bit the one
qrcode would produce (tests/test_masking.py checks both the scores and the choice).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import qrcode.util
from numpy.typing import NDArray

Matrix = NDArray[np.bool_]

MASK_COUNT = 8
# 1:1:3:1:1 finder-like run with four light modules on one side (ISO/IEC 18004, rule 3).
_FINDER_LIKE = (
    np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=np.bool_),
    np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1], dtype=np.bool_),
)


@lru_cache(maxsize=40)
def mask_patterns(size: int) -> NDArray[np.bool_]:
    """The eight mask patterns of a `size` x `size` symbol, shape (8, size, size)."""
    rows, cols = np.indices((size, size))
    patterns = np.empty((MASK_COUNT, size, size), dtype=np.bool_)
    for index in range(MASK_COUNT):
        patterns[index] = np.vectorize(qrcode.util.mask_func(index))(rows, cols)
    patterns.flags.writeable = False
    return patterns


def _run_penalty(candidates: NDArray[np.int8]) -> NDArray[np.int64]:
    """Rule 1 along the last axis: every run of five or more equal modules costs length - 2."""
    count, size, _ = candidates.shape
    padded = np.pad(candidates, ((0, 0), (0, 0), (1, 1)), constant_values=2).ravel()
    starts = np.flatnonzero(padded[1:] != padded[:-1]) + 1
    lengths = np.diff(starts)
    starts = starts[:-1]
    long_runs = (lengths >= 5) & (padded[starts] != 2)
    owner = starts[long_runs] // (size * (size + 2))
    weights = lengths[long_runs] - 2
    return np.bincount(owner, weights=weights, minlength=count).astype(np.int64)


def _finder_penalty(candidates: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Rule 3 along the last axis: 40 for each finder-like pattern."""
    size = candidates.shape[-1]
    width = size - 10
    total = np.zeros(candidates.shape[0], dtype=np.int64)
    if width <= 0:
        return total
    for pattern in _FINDER_LIKE:
        hits = np.ones((*candidates.shape[:2], width), dtype=np.bool_)
        for offset, bit in enumerate(pattern):
            window = candidates[:, :, offset : offset + width]
            hits &= window if bit else ~window
        total += hits.sum(axis=(1, 2))
    return total * 40


def penalties(candidates: NDArray[np.bool_]) -> list[int]:
    """qrcode's `lost_point` for each matrix of `candidates` (shape (k, n, n))."""
    as_int = candidates.astype(np.int8)
    transposed = np.ascontiguousarray(candidates.transpose(0, 2, 1))
    runs = _run_penalty(as_int) + _run_penalty(transposed.astype(np.int8))
    corner = candidates[:, :-1, :-1]
    blocks = (
        (corner == candidates[:, 1:, :-1])
        & (corner == candidates[:, :-1, 1:])
        & (corner == candidates[:, 1:, 1:])
    ).sum(axis=(1, 2)) * 3
    finders = _finder_penalty(candidates) + _finder_penalty(transposed)
    size = candidates.shape[-1]
    scores = []
    for index, dark in enumerate(candidates.sum(axis=(1, 2)).tolist()):
        # Same float arithmetic as qrcode.util._lost_point_level4, so ties break identically.
        balance = int(abs(float(dark) / (size**2) * 100 - 50) / 5) * 10
        scores.append(int(runs[index] + blocks[index] + finders[index]) + balance)
    return scores


def best_mask(unmasked: Matrix, data_modules: Matrix) -> int:
    """The mask qrcode would choose for a symbol whose data modules are `unmasked`.

    `unmasked` holds the symbol as qrcode builds it for scoring (format information light);
    `data_modules` marks the modules a mask applies to.
    """
    masks = mask_patterns(unmasked.shape[0]) & data_modules
    scores = penalties(unmasked[np.newaxis] ^ masks)
    return scores.index(min(scores))
