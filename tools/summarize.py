#!/usr/bin/env python3
"""Counts individual test cases across meson test logs (TAP subtests, or whole tests that are not
TAP) and prints one line: "N passed, N failed[, N skipped]". Exits 1 if anything failed."""
import json
import re
import sys

passed = failed = skipped = 0
ok_re = re.compile(r"^(not ok|ok)\b.*?(#\s*(SKIP|skip|TODO|todo).*)?$")

for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"cannot read {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        entry = json.loads(line)
        result = entry.get("result", "")
        out = entry.get("stdout") or ""
        cases = [ok_re.match(l) for l in out.splitlines()]
        cases = [m for m in cases if m]
        if cases and entry.get("protocol", "tap") != "exitcode":
            p = f = s = 0
            for m in cases:
                if m.group(2):
                    s += 1
                elif m.group(1) == "ok":
                    p += 1
                else:
                    f += 1
            # A crash or timeout after some cases passed still fails the unit.
            if result not in ("OK", "SKIP", "EXPECTEDFAIL") and f == 0:
                f = 1
                print(f"{entry.get('name')}: {result} after {p} passing cases", file=sys.stderr)
            passed += p
            failed += f
            skipped += s
        else:
            if result == "OK":
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
