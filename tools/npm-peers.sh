#!/usr/bin/env bash
# Installs the npm peers the interop tests and bench/run.sh compare Ladle with (httpyac, newman,
# har-validator), at the versions locked in tools/npm-peers/package-lock.json, into _peers/npm/
# (outside git). Node.js and npm come from Debian when missing. Quiet when already in place.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
dest="$top/_peers/npm"

if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends nodejs npm
fi

mkdir -p "$dest"
if [ -f "$dest/package-lock.json" ] && cmp -s "$dest/package-lock.json" "$top/tools/npm-peers/package-lock.json" \
   && [ -x "$dest/node_modules/.bin/httpyac" ] && [ -x "$dest/node_modules/.bin/newman" ]; then
  exit 0
fi
cp "$top/tools/npm-peers/package.json" "$top/tools/npm-peers/package-lock.json" "$dest/"
echo "Installing npm peers into $dest" >&2
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >&2)
