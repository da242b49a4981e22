from __future__ import annotations

from pathlib import Path

import pytest

from gitops_tools.errors import FatalError
from gitops_tools.promote.denylist import denied_digests

DIGEST = "sha256:" + "c" * 64


def write(root: Path, text: str) -> None:
    (root / "policies").mkdir()
    (root / "policies" / "promotion-denylist.yaml").write_text(text)


def test_absent_file_denies_nothing(tmp_path: Path) -> None:
    assert denied_digests(tmp_path) == {}


def test_entries(tmp_path: Path) -> None:
    write(tmp_path, f"denied:\n  - digest: {DIGEST}\n    reason: broken build\n")
    assert denied_digests(tmp_path) == {DIGEST: "broken build"}


@pytest.mark.parametrize(
    "text",
    [
        "denied:\n  - digest: sha256:short\n    reason: x\n",
        f"denied:\n  - digest: {DIGEST}\n",
        "- just a list\n",
        "denied: [\n",
    ],
)
def test_malformed(tmp_path: Path, text: str) -> None:
    write(tmp_path, text)
    with pytest.raises(FatalError, match=r"policies/promotion-denylist.yaml"):
        denied_digests(tmp_path)
