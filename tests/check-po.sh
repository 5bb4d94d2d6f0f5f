#!/usr/bin/env bash
# Fails when any translation in po/ lacks a message that the sources have, or has a fuzzy or
# untranslated one. Extracts a fresh template from po/POTFILES.in, so a new _() string that nobody
# translated fails here even before anyone regenerates the .pot.
set -euo pipefail
podir="$1"
top="$(cd "$podir/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$top"
grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$tmp/files"
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --add-comments --files-from="$tmp/files" -o "$tmp/ladle.pot"

rc=0
for lang in $(cat po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/ladle.pot" -o "$tmp/$lang.po"
  stats="$(msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1)"
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) rc=1 ;;
  esac
  if ! msgfmt --check -o /dev/null "po/$lang.po"; then rc=1; fi
done
exit $rc
