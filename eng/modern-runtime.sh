#!/usr/bin/env bash
# Runs a command inside a cached Debian 13 ("trixie") root filesystem.
#
# Why: TorchSharp 0.107.0's native shim (libLibTorchSharp.so) needs the libstdc++ symbol
# version GLIBCXX_3.4.32 (GCC 13+). Debian 12 and Ubuntu 22.04 stop at GLIBCXX_3.4.30, and no
# newer libstdc++ can be installed there. Debian 13's can, inside its own root filesystem.
#
# Usage:
#   eng/modern-runtime.sh -- <command> [args...]   run <command> in the repo, inside Debian 13
#   eng/modern-runtime.sh --needed                 exit 0 if this host needs the wrapper, 1 if not
#   eng/modern-runtime.sh --prepare                only build (or reuse) the root filesystem
#
# The root filesystem is built once with debootstrap (~30 s, ~270 MB) into
# $MULTIAGENTREC_ROOTFS (default /var/cache/multiagentrec/trixie) and reused afterwards.
# The host's .NET SDK, NuGet package cache, CA bundle and this repository are bind-mounted in.
# A command's output folders outside the repository (--out DIR / --out=DIR, absolute or relative to
# a working folder outside the repository) are made reachable too: the nearest existing folder of
# each is bind-mounted at the same path, so files written there land on the host. A folder that
# cannot be reached that way (only / exists above it, or it is a system folder of the root
# filesystem) is reported and the wrapper exits with 2 before running anything.
# Every run gets a private mount namespace (unshare), so its mounts disappear when it exits,
# whatever way it exits, and two runs side by side never unmount each other's paths.
# Needs root (debootstrap, mount, chroot).
set -euo pipefail

ROOT="${MULTIAGENTREC_ROOTFS:-/var/cache/multiagentrec/trixie}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIRED_SYMBOL="GLIBCXX_3.4.32"

die() { echo "modern-runtime: $*" >&2; exit 1; }

host_libstdcxx() {
  local f
  for f in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -e "$f" ] && { echo "$f"; return 0; }
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}'
}

needed() {
  local lib; lib="$(host_libstdcxx)"
  [ -n "$lib" ] || return 0
  ! grep -qa "$REQUIRED_SYMBOL" "$lib"
}

mirror() {
  # The machine's own Debian mirror (deb822 or one-line format); deb.debian.org otherwise.
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

prepare() {
  [ "$(id -u)" = 0 ] || die "needs root (debootstrap, mount, chroot); run it as root or with sudo"
  if [ -f "$ROOT/.multiagentrec-ready" ]; then return 0; fi
  command -v debootstrap >/dev/null || {
    echo "modern-runtime: installing debootstrap" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  echo "modern-runtime: building the Debian 13 root filesystem in $ROOT (once, ~1 min)" >&2
  rm -rf "$ROOT.partial"; mkdir -p "$(dirname "$ROOT")"
  debootstrap --variant=minbase \
    --include=libicu76,libssl3t64,zlib1g,ca-certificates,libstdc++6 \
    trixie "$ROOT.partial" "$(mirror)" >"$ROOT.debootstrap.log" 2>&1 \
    || die "debootstrap failed; see $ROOT.debootstrap.log"
  rm -rf "$ROOT"; mv "$ROOT.partial" "$ROOT"
  touch "$ROOT/.multiagentrec-ready"
}

# Makes host folder $1 (or its nearest existing parent) visible at the same path inside the root
# filesystem. Exits 2 when that would mean mounting / or a system folder over Debian 13's own.
reach() {
  local want=$1 p=$1
  while [ ! -d "$p" ]; do p="$(dirname "$p")"; done
  case "$p" in "$REPO"|"$REPO"/*) return 0 ;; esac
  if ! shareable "$p"; then
    echo "modern-runtime: '$want' cannot be reached from inside Debian 13 (its nearest existing folder is '$p', which cannot be shared); create its parent folder first or choose a folder under an existing one such as /tmp or your home" >&2
    exit 2
  fi
  mkdir -p "$ROOT$p"
  mount --bind "$p" "$ROOT$p"
}

# Whether a host folder may be mounted over the root filesystem's own (not /, not a system folder).
shareable() {
  case "$1" in
    /|/usr|/usr/*|/bin|/bin/*|/sbin|/sbin/*|/lib|/lib/*|/lib64|/lib64/*|/etc|/etc/*|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/var|/var/lib|/var/lib/*|"$ROOT"|"$ROOT"/*) return 1 ;;
  esac
}

# The output folders named in the command (--out DIR, --out=DIR), made absolute against the host's working folder.
out_paths() {
  local prev="" a
  for a in "$@"; do
    case "$a" in --out=*) a="${a#--out=}"; prev="--out" ;; esac
    if [ "$prev" = "--out" ] && [ -n "$a" ]; then
      case "$a" in /*) echo "$a" ;; *) echo "$PWD/$a" ;; esac
    fi
    prev="$a"
  done
}

# Inside the private mount namespace: mount, then chroot and run.
inner() {
  local home="${HOME:-/root}"
  mkdir -p "$ROOT/usr/share/dotnet" "$ROOT$REPO" "$ROOT/root/.nuget/packages" "$ROOT/proc" "$ROOT/dev" "$ROOT/tmp"
  mount --bind /usr/share/dotnet "$ROOT/usr/share/dotnet"
  mount -t proc proc "$ROOT/proc"
  mount --rbind /dev "$ROOT/dev"
  mount --bind "$REPO" "$ROOT$REPO"
  mkdir -p "$home/.nuget/packages"
  mount --bind "$home/.nuget/packages" "$ROOT/root/.nuget/packages"
  # The sibling shared/ folder (data sets, docs) when there is one.
  if [ -d "$REPO/../shared" ]; then
    local shared; shared="$(cd "$REPO/../shared" && pwd)"
    mkdir -p "$ROOT$shared"; mount --bind "$shared" "$ROOT$shared"
  fi
  # Extra folders the caller wants visible inside (colon-separated absolute paths).
  local extra
  IFS=: read -r -a extra <<<"${MULTIAGENTREC_BIND:-}"
  for p in "${extra[@]}"; do
    [ -n "$p" ] && [ -d "$p" ] || continue
    mkdir -p "$ROOT$p"; mount --bind "$p" "$ROOT$p"
  done
  # NuGet must trust the same CAs as the host (a proxy's CA may be among them).
  cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
  if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/* "$ROOT/usr/local/share/ca-certificates/"
  fi
  [ -d "$home/.nuget/NuGet" ] && { mkdir -p "$ROOT/root/.nuget/NuGet"; cp -r "$home/.nuget/NuGet/." "$ROOT/root/.nuget/NuGet/"; }
  # Name resolution as on the host: "localhost" must resolve for loopback listeners (metrics, silos).
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  cp /etc/hosts "$ROOT/etc/hosts" 2>/dev/null || printf '127.0.0.1 localhost\n::1 localhost\n' >"$ROOT/etc/hosts"
  ln -sf /usr/share/dotnet/dotnet "$ROOT/usr/bin/dotnet"
  local out
  while IFS= read -r out; do [ -n "$out" ] && reach "$out"; done < <(out_paths "$@")
  # A working folder outside the repository (where a relative --out points) is shared too when it can be.
  local cwd="$PWD"
  case "$cwd" in
    "$REPO"|"$REPO"/*) ;;
    *) if shareable "$cwd"; then reach "$cwd"; else cwd="$REPO"; fi ;;
  esac
  exec chroot "$ROOT" /usr/bin/env HOME=/root PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    /bin/bash -c 'cd "$1" && shift && exec "$@"' bash "$cwd" "$@"
}

case "${1:-}" in
  --needed) needed; exit $? ;;
  --prepare) prepare; exit 0 ;;
  --inner) shift; inner "$@" ;;
  --) shift ;;
  -h|--help|"")
    sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option '$1' (use -- <command>, --needed, --prepare or --help)" ;;
esac

[ $# -gt 0 ] || die "no command given after --"
prepare
# unshare gives the run its own mount namespace: every mount below is gone when it exits.
exec unshare --mount --propagation private "${BASH_SOURCE[0]}" --inner "$@"
