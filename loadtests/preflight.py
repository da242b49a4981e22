"""Before `kubectl apply -k loadtests`: refuse what would make the in-cluster run go wrong.

    python3 loadtests/preflight.py

- the Locust image must be pinned by the digest of an image someone pushed. The repository
  ships the all-zero placeholder because no image can be built where its CI runs; applied as
  it is, the Jobs would wait on a pull that cannot succeed (README, "In staging", step 1);
- LOADTEST_WORKERS must equal the worker Job's parallelism (the master waits for that many).

Exit 0 when ready, 2 with one line per problem and what to do.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

K8S = Path(__file__).resolve().parent / "k8s"
PLACEHOLDER = "sha256:" + "0" * 64
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def problems(k8s: Path) -> list[str]:
    kustomization_file = k8s / "kustomization.yaml"
    kustomization = _load(kustomization_file)
    found = []
    for image in kustomization.get("images") or []:
        where = f"{kustomization_file}: images[{image.get('name')}]"
        digest = str(image.get("digest") or "")
        if digest == PLACEHOLDER:
            found.append(
                f"{where}.digest is the all-zero placeholder: build and push the image, then "
                "set its digest (loadtests/README.md, 'In staging', step 1)"
            )
        elif not DIGEST.fullmatch(digest):
            found.append(f"{where}: pin the pushed image by digest (sha256:<64 hex>), not a tag")
    settings = {
        key: value
        for generator in kustomization.get("configMapGenerator") or []
        if generator.get("name") == "locust-settings"
        for key, _, value in (item.partition("=") for item in generator.get("literals") or [])
    }
    parallelism = (_load(k8s / "worker-job.yaml").get("spec") or {}).get("parallelism")
    if settings.get("LOADTEST_WORKERS") != str(parallelism):
        found.append(
            f"{kustomization_file}: LOADTEST_WORKERS={settings.get('LOADTEST_WORKERS')} but "
            f"{k8s / 'worker-job.yaml'} runs parallelism {parallelism} workers: make them equal"
        )
    return found


def _load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k8s", type=Path, default=K8S, help="the k8s/ directory to check")
    try:
        found = problems(parser.parse_args(argv).k8s)
    except ValueError as exc:
        found = [str(exc)]
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if not found:
        print("ready: the image is pinned by a pushed digest and the workers match")
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main())
