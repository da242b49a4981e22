#!/usr/bin/env bash
# Make sure checkov is installed in its own venv (default .venv-checkov), apart from the tool's:
# its dependency tree is large and would fight the gitops tool's pins.
# Idempotent: does nothing when VENV/bin/checkov already runs.
set -euo pipefail
venv=${1:-.venv-checkov}
python=${PYTHON:-python3}
spec='checkov>=3.2,<4'

runs() {
  [ -x "$venv/bin/checkov" ] && "$venv/bin/checkov" --version >/dev/null 2>&1
}

if runs; then
  exit 0
fi

echo "checkov not found in $venv; installing '$spec' there (takes a few minutes)" >&2
if "$python" -m venv "$venv" \
  && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec" \
  && runs; then
  echo "installed checkov $("$venv/bin/checkov" --version) in $venv" >&2
  exit 0
fi
cat >&2 <<MSG
error: could not install checkov into $venv.
Hint: check network access to PyPI and that '$python -m venv' works (Debian needs the
python3-venv package), then rerun \`tools/bootstrap/ensure-checkov.sh $venv\`; or install
checkov elsewhere and set GITOPS_CHECKOV to its path.
MSG
exit 2
