#!/usr/bin/env bash
# Make sure Debian's docker-registry (/usr/bin/docker-registry, the OCI registry that the
# promotion tests start on free local ports) is installed. Idempotent: nothing to do when the
# binary is there. Installs with apt-get as root, or through passwordless sudo.
set -euo pipefail
binary=/usr/bin/docker-registry
[ -x "$binary" ] && exit 0

fail() {
  cat >&2 <<MSG
error: could not install docker-registry: $1
Hint: install Debian/Ubuntu's package yourself (\`sudo apt-get install -y docker-registry\`),
then rerun \`make test\`. The promotion tests skip, loudly, without it.
MSG
  exit 2
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available on this machine"
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not root and no passwordless sudo"
fi

echo "docker-registry not found; installing Debian's package" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get install -y -q docker-registry >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -q >/dev/null 2>&1 || fail "apt-get update failed"
  "${as_root[@]}" apt-get install -y -q docker-registry >/dev/null 2>&1 \
    || fail "apt-get install docker-registry failed"
fi
# the package may start a system service on port 5000; the tests run their own registries
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  "${as_root[@]}" systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
[ -x "$binary" ] || fail "the package installed no $binary"
