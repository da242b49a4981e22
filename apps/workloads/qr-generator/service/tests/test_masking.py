"""The numpy penalty equals qrcode's lost_point, so the chosen mask is qrcode's."""

from __future__ import annotations

import random

import numpy as np
import pytest
import qrcode.util

from qr_service.masking import MASK_COUNT, mask_patterns, penalties


@pytest.mark.parametrize("size", [21, 25, 45, 97, 177])
def test_penalties_equal_lost_point_on_random_matrices(size: int) -> None:
    rng = random.Random(size)
    matrices = []
    for density in (0.2, 0.5, 0.8):
        rows = [[rng.random() < density for _ in range(size)] for _ in range(size)]
        rows[3][:12] = [True] * 12  # long runs and a finder-like pattern on purpose
        rows[5][:11] = [True, False, True, True, True, False, True, False, False, False, False]
        matrices.append(rows)
    scores = penalties(np.array(matrices, dtype=np.bool_))
    assert scores == [qrcode.util.lost_point(rows) for rows in matrices]


def test_mask_patterns_match_qrcode_mask_functions() -> None:
    patterns = mask_patterns(21)
    assert patterns.shape == (MASK_COUNT, 21, 21)
    for index in range(MASK_COUNT):
        rule = qrcode.util.mask_func(index)
        assert all(patterns[index, i, j] == rule(i, j) for i in range(21) for j in range(21)), index
