#!/usr/bin/env bash
# Installs the real programs the cluster script and the cluster/dashboard tests run, from Debian
# packages: redis-server (Orleans clustering and grain storage), prometheus + promtool (scraping,
# console dashboards, metrics lint) and chromium (loads the dashboard page in the tests); and
# python3 with PyTorch (python3-torch), which `bench trainer` runs its reference script with.
#
# Where: on a host that needs eng/modern-runtime.sh (Debian 12: TorchSharp needs GLIBCXX_3.4.32)
# the silos and tests run inside its Debian 13 root filesystem, so the programs go there, where
# they can be found by the same PATH; on a newer host they go on the host itself.
# Idempotent: a second call with everything present returns at once. Needs root.
#
# Usage: eng/install-tools.sh            install what is missing
#        eng/install-tools.sh --check    exit 0 when everything is present, 1 otherwise
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(redis-server prometheus chromium python3-torch)
BINARIES=(/usr/bin/redis-server /usr/bin/prometheus /usr/bin/promtool /usr/bin/chromium /usr/bin/python3 /usr/lib/python3/dist-packages/torch/__init__.py)

root=""
if eng/modern-runtime.sh --needed; then
  eng/modern-runtime.sh --prepare
  root="${MULTIAGENTREC_ROOTFS:-/var/cache/multiagentrec/trixie}"
fi

present() {
  # -e, not -x: torch/__init__.py is a module, not a program.
  local b; for b in "${BINARIES[@]}"; do [ -e "$root$b" ] || return 1; done
}

if [ "${1:-}" = "--check" ]; then present; exit $?; fi
present && exit 0

[ "$(id -u)" = 0 ] || { echo "install-tools: needs root (apt-get)" >&2; exit 1; }
echo "install-tools: installing ${PACKAGES[*]} ${root:+into $root }(once, a few minutes)" >&2
run() { if [ -n "$root" ]; then chroot "$root" "$@"; else "$@"; fi; }
if [ -n "$root" ]; then
  # Package scripts must not try to start services in the chroot (there is no init there);
  # cluster.sh starts each program itself.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt" 2>/dev/null || true
fi
run env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
present || { echo "install-tools: installed, but some of ${BINARIES[*]} are still missing" >&2; exit 1; }
