#!/usr/bin/env bash
# Make sure Debian's nginx (/usr/sbin/nginx) is installed: the QR frontend tests run the
# image's nginx config with it on free local ports, and `make qr-local` serves the page through
# it. Idempotent: nothing to do when the binary is there. Installs with apt-get as root, or
# through passwordless sudo, and never starts the system service (the tests run their own).
set -euo pipefail
binary=/usr/sbin/nginx
[ -x "$binary" ] && exit 0

fail() {
  cat >&2 <<MSG
error: could not install nginx: $1
Hint: install Debian/Ubuntu's package yourself (\`sudo apt-get install -y nginx\`, then
\`sudo systemctl disable --now nginx\`), then rerun \`make test\`. Without it the frontend tests
skip, loudly, and \`make qr-local\` serves the page from the API instead.
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

# policy-rc.d answering 101 tells the package scripts not to start the service (Debian's
# invoke-rc.d policy); put one in place only for this install if the machine has none.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  trap '"${as_root[@]}" rm -f "$policy"' EXIT
fi

echo "nginx not found; installing Debian's package" >&2
export DEBIAN_FRONTEND=noninteractive
install=(apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 nginx)
if ! "${as_root[@]}" "${install[@]}" >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -q -o DPkg::Lock::Timeout=120 >/dev/null 2>&1 \
    || fail "apt-get update failed"
  "${as_root[@]}" "${install[@]}" >/dev/null 2>&1 || fail "apt-get install nginx failed"
fi
# where systemd runs, the unit may be enabled all the same: keep it off port 80
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  "${as_root[@]}" systemctl disable --now nginx >/dev/null 2>&1 || true
fi
[ -x "$binary" ] || fail "the package installed no $binary"
