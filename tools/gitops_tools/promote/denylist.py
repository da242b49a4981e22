"""`policies/promotion-denylist.yaml`: digests that must never be promoted (a known CVE, a
broken build), each with the reason that is shown to whoever tries.

    denied:
      - digest: sha256:0123...
        reason: CVE-2025-0001 in libfoo; fixed in 1.5.1
"""

from __future__ import annotations

from pathlib import Path

import yaml

from gitops_tools.errors import FatalError
from gitops_tools.promote.oci_manifest import DIGEST

DENYLIST = Path("policies/promotion-denylist.yaml")


def denied_digests(repo_root: Path) -> dict[str, str]:
    """Denied digest -> reason; empty when the file does not exist."""
    path = repo_root / DENYLIST
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(f"{DENYLIST}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise FatalError(f"{DENYLIST}{line}: not valid YAML") from None
    if data is None:
        return {}
    entries = data.get("denied") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(entries, list | None):
        raise FatalError(f"{DENYLIST}: expected a mapping with a `denied:` list")
    out: dict[str, str] = {}
    for number, entry in enumerate(entries or []):
        digest = entry.get("digest") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or not DIGEST.fullmatch(digest) or not reason:
            raise FatalError(
                f"{DENYLIST}: denied[{number}] needs a sha256 `digest` and a `reason`",
                "see the format in tools/gitops_tools/promote/denylist.py",
            )
        out[digest] = str(reason)
    return out
