#!/usr/bin/env bash
# Installs the Debian 12 packages Ladle needs (only what is missing), as root or with sudo.
# Usage: tools/deps.sh [run|test|fuzz|bench|package]
set -euo pipefail

build_pkgs=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev glib-networking
  libgtk-4-dev libadwaita-1-dev libgtksourceview-5-dev desktop-file-utils appstream
  fonts-cantarell adwaita-icon-theme dconf-gsettings-backend shared-mime-info
  libbrotli-dev libgnutls28-dev
  scdoc
)
test_pkgs=(
  curl python3 python3-aiohttp wrk nginx-light xvfb xauth
  libclang-rt-14-dev chromium libxtst-dev
  python3-httpbin
  python3-requests-oauthlib python3-oauthlib python3-jwt python3-cryptography
  openssl tinyproxy dante-server passwd
  stunnel4
  gtk-update-icon-cache
  groff-base
  bash-completion zsh fish
)

fuzz_pkgs=(
  clang libclang-rt-14-dev
)

bench_pkgs=(
  curl python3 python3-aiohttp wrk nginx-light time util-linux httpie
)

# tools/package: build the Debian package, lint it, install it and try it (Xvfb for the window).
package_pkgs=(
  build-essential debhelper dpkg-dev fakeroot lintian scdoc bash-completion
  xvfb xauth python3
)

want=("${build_pkgs[@]}")
case "${1:-run}" in
  test) want+=("${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
  fuzz) want+=("${fuzz_pkgs[@]}") ;;
  bench) want+=("${bench_pkgs[@]}") ;;
  package) want+=("${package_pkgs[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The npm peers (httpyac, newman, har-validator) for the interop tests and benchmarks.
case "${1:-run}" in
  test|bench) "$(dirname "$0")/npm-peers.sh" ;;
esac
