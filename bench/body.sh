#!/usr/bin/env bash
# Large bodies: JSON responses of 1 MB, 10 MB, 100 MB and 1 GB served by Ladle's own server (a
# mock route whose body is a file), received and shown by the Ladle window. For each: the time
# from the body reaching the viewer to the first screen of pretty text drawn, the longest
# main-loop stall from then until a search ends (and how much of it the main thread spent on a
# CPU: a stall it hardly ran in is the machine's), the process's peak RSS, and the time to find a
# string near the end (after formatting, as search MB/s over the pretty text). Compared in the
# same run with the naive way: the pretty text loaded in one gtk_text_buffer_set_text() into a
# GtkSourceView (bench/body-naive.c). Targets from issue 6: first screen <= 1 s, no stall
# > 50 ms, peak RSS <= 150 MB + 2 % of the body, search >= 200 MB/s.
# Loopback only, under a private Xvfb; every run bounded by `timeout`; the temporary folder and
# every process it starts go at exit. Not a test: it prints figures and always exits 0.
#
# Usage: bench/body.sh [--quick]        (--quick: 1, 10 and 100 MB, one run each)
#   BUILD=dir   a build made with -Dbench_hooks=true (default: _build-bench, made here)
#   RUNS=n   runs per size (default 2)
#   SIZES="1 10 100 1000"  body sizes in MB               NAIVE_MAX_MB=100  larger: naive skipped
set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
. "$HERE/hooks-build.sh"
if [ -z "${BUILD:-}" ]; then
  BUILD=$(hooks_build "$ROOT") || exit 1
fi
LADLE=${LADLE:-$BUILD/src/ladle}
RUNS=${RUNS:-2}
SIZES=${SIZES:-1 10 100 1000}
NAIVE_MAX_MB=${NAIVE_MAX_MB:-100}
NAIVE_RSS_CAP_MB=${NAIVE_RSS_CAP_MB:-4096}
if [ "${1:-}" = --quick ]; then RUNS=1; SIZES=${SIZES_QUICK:-1 10 100}; fi

if [ ! -x "$LADLE" ]; then
  echo "body.sh: build first (ninja -C $BUILD)"
  exit 0
fi

. "$HERE/lib.sh"   # before our cleanup (lib.sh has its own, for servers)

TMP=$(mktemp -d)
PIDS=()
cleanup () {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

# A private Xvfb on the first free display from 90
for n in $(seq 90 199); do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then DISPLAY_NUM=$n; break; fi
done
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
# Software rendering as in the UI tests and bench/ui.sh: GTK's default under Xvfb is GL on
# llvmpipe, ~110 MiB more RSS at idle than on a desktop GPU (set GSK_RENDERER=gl to see it)
export GSK_RENDERER=${GSK_RENDERER:-cairo}
export DISPLAY=":$DISPLAY_NUM" GTK_A11Y=none GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export GSETTINGS_SCHEMA_DIR="$BUILD/data" LADLE_LOCALEDIR="$BUILD/po"
export XDG_DATA_HOME="$TMP/data" XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache"
# Ladle spills the response and writes the pretty copy here: removed at exit with the rest
mkdir -p "$TMP/spill"
export TMPDIR="$TMP/spill"

echo "Large-body benchmark, $(date '+%Y-%m-%d %H:%M'), $(nproc) CPUs, load$(uptime | sed 's/.*load average//'), Xvfb :$DISPLAY_NUM, GSK renderer ${GSK_RENDERER:-default}"

# The naive side, built here (not installed, not part of the build)
NAIVE="$TMP/body-naive"
if ! cc -O2 -o "$NAIVE" "$HERE/body-naive.c" $(pkg-config --cflags --libs gtk4 gtksourceview-5) 2>"$TMP/naive.log"; then
  echo "  body-naive did not build: naive side skipped"; sed 's/^/    /' "$TMP/naive.log" | head -5
  NAIVE=""
fi

# Disk: each size needs the body, Ladle's spilled copy and its pretty copy (~1.6 × the body),
# plus the pretty file for the naive side where it runs
free_mb=$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')
NEEDLE="ladle-needle-near-the-end"

# gen SIZE_MB: body-N.json (compact, one line) and, for the naive side, pretty-N.json; prints
# the pretty size in bytes (the text Ladle searches)
gen () {
  "$PYTHON" - "$1" "$TMP" "$NEEDLE" "$NAIVE_MAX_MB" <<'PY'
import sys
mb, tmp, needle, naive_max = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
# Above Ladle's 1 MiB threshold for the viewer: "1 MB" is 1.1 MB
target = max(mb * 1000 * 1000, 1100000)
pretty_out = open("%s/pretty-%d.json" % (tmp, mb), "w") if mb <= naive_max else None
def record(i, name):
    c = ('{"id":%d,"name":"%s","email":"user%d@example.com","active":%s,"score":%d.5,'
         '"tags":["alpha","beta","gamma"],"address":{"street":"%d Main Street","city":"Springfield",'
         '"zip":"%05d"},"note":"Ladle \\u00e9t\\u00e9 \\"quoted\\" text"}') % (
        i, name, i, "true" if i % 2 else "false", i % 1000, i, i % 100000)
    p = ('    {\n      "id": %d,\n      "name": "%s",\n      "email": "user%d@example.com",\n'
         '      "active": %s,\n      "score": %d.5,\n      "tags": [\n        "alpha",\n'
         '        "beta",\n        "gamma"\n      ],\n      "address": {\n'
         '        "street": "%d Main Street",\n        "city": "Springfield",\n'
         '        "zip": "%05d"\n      },\n      "note": "Ladle \\u00e9t\\u00e9 \\"quoted\\" text"\n    }') % (
        i, name, i, "true" if i % 2 else "false", i % 1000, i, i % 100000)
    return c, p
n = max(1, target // len(record(10 ** 6, "item 1000000")[0]))
mark = n - max(1, n // 1000)
size = pretty = 0
with open("%s/body-%d.json" % (tmp, mb), "w") as out:
    out.write('{"items":['); size += 11
    pretty_head = '{\n  "items": [\n'; pretty += len(pretty_head)
    if pretty_out: pretty_out.write(pretty_head)
    chunk, pchunk = [], []
    for i in range(n):
        c, p = record(i, needle if i == mark else "item %d" % i)
        if i: c = "," + c; p = ",\n" + p
        chunk.append(c); pchunk.append(p)
        if len(chunk) == 10000 or i == n - 1:
            s = "".join(chunk); out.write(s); size += len(s)
            s = "".join(pchunk); pretty += len(s)
            if pretty_out: pretty_out.write(s)
            chunk, pchunk = [], []
    out.write("]}"); size += 2
    tail = "\n  ]\n}"; pretty += len(tail)
    if pretty_out: pretty_out.write(tail)
print(pretty)
PY
}

run_ladle () {   # run_ladle SIZE_MB: one run; sets L_* figures
  local mb=$1 out
  L_SCREEN=n/a; L_STALL=n/a; L_STALL_CPU=n/a; L_RSS=n/a; L_FOUND=n/a; L_FORMAT=n/a; L_RESPONSE=n/a
  out=$(LADLE_BENCH_GET="http://127.0.0.1:$PORT/body-$mb.json" LADLE_BENCH_BODY="$NEEDLE" \
        timeout $((120 + mb / 4)) /usr/bin/time -f 'time-rss %M' "$LADLE" 2>&1)
  L_RESPONSE=$(echo "$out" | sed -n 's/^ladle-bench: response-ms //p')
  L_SCREEN=$(echo "$out" | sed -n 's/^ladle-bench: first-screen-ms //p')
  L_FORMAT=$(echo "$out" | sed -n 's/^ladle-bench: formatted-ms //p')
  L_FOUND=$(echo "$out" | sed -n 's/^ladle-bench: found-ms //p')
  L_STALL=$(echo "$out" | sed -n 's/^ladle-bench: body-max-stall-ms //p')
  L_STALL_CPU=$(echo "$out" | sed -n 's/^ladle-bench: body-max-stall-cpu-ms //p')
  L_RSS=$(echo "$out" | sed -n 's/^time-rss //p' | tail -1)
  L_PHASES=$(echo "$out" | sed -n 's/^ladle-bench: stall-by-phase-ms //p' | awk '{ printf "%.0f/%.0f/%.0f/%.0f", $1, $2, $3, $4 }')
  : "${L_RESPONSE:=n/a}" "${L_SCREEN:=n/a}" "${L_FORMAT:=n/a}" "${L_FOUND:=n/a}" "${L_STALL:=n/a}"
  : "${L_STALL_CPU:=n/a}"
  : "${L_RSS:=n/a}"
  if [ "$L_FOUND" = n/a ]; then
    echo "    ladle run did not finish (timeout or error); last lines:"
    echo "$out" | grep -v '^ladle-bench' | tail -3 | sed 's/^/      /'
  fi
}

run_naive () {   # run_naive SIZE_MB: sets N_* figures; killed above NAIVE_RSS_CAP_MB
  local mb=$1 tpid npid rss out
  N_SCREEN=n/a; N_STALL=n/a; N_RSS=n/a; N_FOUND=n/a; N_NOTE=""
  timeout 300 "$NAIVE" "$TMP/pretty-$mb.json" "$NEEDLE" > "$TMP/naive.out" 2>&1 &
  tpid=$!
  sleep 0.2
  npid=$(pgrep -P "$tpid" | head -1)
  while kill -0 "$tpid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$npid/status" 2>/dev/null)
    if [ -n "$rss" ] && [ "$rss" -gt $((NAIVE_RSS_CAP_MB * 1024)) ]; then
      kill -KILL "$npid" 2>/dev/null
      N_NOTE="killed at > $NAIVE_RSS_CAP_MB MiB RSS"
      N_RSS=$rss
      break
    fi
    sleep 0.2
  done
  wait "$tpid" 2>/dev/null
  out=$(cat "$TMP/naive.out")
  N_SCREEN=$(echo "$out" | sed -n 's/^naive: first-screen-ms //p')
  N_FOUND=$(echo "$out" | sed -n 's/^naive: found-ms //p' | awk '{print $1}')
  N_STALL=$(echo "$out" | sed -n 's/^naive: max-stall-ms //p')
  [ "$N_RSS" = n/a ] && N_RSS=$(echo "$out" | sed -n 's/^naive: peak-rss-kib //p')
  : "${N_SCREEN:=n/a}" "${N_FOUND:=n/a}" "${N_STALL:=n/a}" "${N_RSS:=n/a}"
  if [ -z "$N_NOTE" ] && [ "$N_FOUND" = n/a ]; then N_NOTE="did not finish within 300 s"; fi
}

best () { printf '%s\n' "$@" | grep -v n/a | sort -g | head -1; }
worst () { printf '%s\n' "$@" | grep -v n/a | sort -g | tail -1; }

# The server: one mock route per size
PORT=$(free_port)
routes=""
for mb in $SIZES; do
  routes="$routes${routes:+, }{\"method\": \"GET\", \"path\": \"/body-$mb.json\", \"body_file\": \"$TMP/body-$mb.json\", \"content_type\": \"application/json\"}"
done
printf '{"version": 1, "routes": [%s]}\n' "$routes" > "$TMP/routes.json"

declare -A PRETTY
ROWS=()
for mb in $SIZES; do
  need=$(( mb * 4 + (mb <= NAIVE_MAX_MB ? mb * 2 : 0) + 100 ))
  free_mb=$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')
  if [ "$free_mb" -lt "$need" ]; then
    echo "  $mb MB: skipped, needs ~$need MB of disk in $TMP, $free_mb MB free"
    continue
  fi
  PRETTY[$mb]=$(gen "$mb")
  ROWS+=("$mb")
done

"$LADLE" serve --port "$PORT" --quiet --uploads "$TMP/uploads" --routes "$TMP/routes.json" \
  >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

echo
printf '%-7s %-6s | %-28s | %-10s | %-30s\n' "" "" "Ladle viewer" "" "naive GtkSourceView"
printf '%-7s %-6s | %8s %8s %8s %9s %8s %7s | %8s %8s %8s %8s\n' size run screen stall "RSS MiB" find "MB/s" fmt screen stall "RSS MiB" find
declare -A RS RST RR RF RN NS NST NR NF NNOTE
for mb in "${ROWS[@]}"; do
  pretty_mb=$(calc "${PRETTY[$mb]} / 1000000")
  ls_all=(); lst_all=(); lr_all=(); lf_all=()
  for run in $(seq "$RUNS"); do
    rm -rf "$TMP/spill"/* 2>/dev/null
    run_ladle "$mb"
    mbs=$(calc "$pretty_mb / ($L_FOUND / 1000)")
    ls_all+=("$L_SCREEN"); lst_all+=("$L_STALL"); lr_all+=("$L_RSS"); lf_all+=("$L_FOUND")
    printf '%-7s %-6s | %8s %8s %8s %9s %8s %7s |   stalls until screen/paint/formatted/found %s (worst: %s ms on the CPU), response after %s s\n' \
      "${mb}MB" "$run" "$(fmt %.0f "$L_SCREEN")" \
      "$(fmt %.0f "$L_STALL")" "$(fmt %.0f "$(calc "$L_RSS / 1024")")" "$(fmt %.0f "$L_FOUND")" \
      "$(fmt %.0f "$mbs")" "$(fmt %.1fs "$(calc "$L_FORMAT / 1000")")" "${L_PHASES:-n/a}" \
      "$(fmt %.0f "$L_STALL_CPU")" "$(fmt %.1f "$(calc "$L_RESPONSE / 1000")")"
  done
  RS[$mb]=$(best "${ls_all[@]}"); RST[$mb]=$(worst "${lst_all[@]}")
  RR[$mb]=$(worst "${lr_all[@]}"); RF[$mb]=$(worst "${lf_all[@]}")
  RN[$mb]=$(calc "$pretty_mb / (${RF[$mb]:-n/a} / 1000)")

  if [ -z "$NAIVE" ]; then
    NNOTE[$mb]="not built"
  elif [ "$mb" -gt "$NAIVE_MAX_MB" ]; then
    NNOTE[$mb]="skipped: would need ~$(fmt %.0f "$(calc "${NAIVE_PER_MB:-50} * ${PRETTY[$mb]} / 1000000 / 1024")") GiB of RSS (${NAIVE_PER_MB:-50} MiB per MB of pretty text, as measured at smaller sizes)"
  else
    run_naive "$mb"
    NS[$mb]=$N_SCREEN; NST[$mb]=$N_STALL; NR[$mb]=$N_RSS; NF[$mb]=$N_FOUND; NNOTE[$mb]=$N_NOTE
    if [ "$N_RSS" != n/a ] && [ -z "$N_NOTE" ]; then
      NAIVE_PER_MB=$(fmt %.0f "$(calc "$N_RSS / 1024 / (${PRETTY[$mb]} / 1000000)")")
    fi
    printf '%-7s %-6s | %62s | %8s %8s %8s %8s %s\n' "${mb}MB" naive "" "$(fmt %.0f "$N_SCREEN")" \
      "$(fmt %.0f "$N_STALL")" "$(fmt %.0f "$(calc "$N_RSS / 1024")")" "$(fmt %.0f "$N_FOUND")" "$N_NOTE"
  fi
done

echo
echo "Summary (Ladle: best first screen, worst stall, worst RSS and search of $RUNS run(s); times in ms)"
printf '%-7s %-10s %8s %8s %9s %9s %8s | %-s\n' size "pretty MB" screen stall "RSS MiB" "target" "MB/s" "naive: screen / stall / RSS MiB / find"
for mb in "${ROWS[@]}"; do
  pretty_mb=$(calc "${PRETTY[$mb]} / 1000000")
  target=$(calc "(150 + 0.02 * $mb) * 1000000 / 1048576")
  if [ -n "${NS[$mb]:-}" ]; then
    naive="$(fmt %.0f "${NS[$mb]}") / $(fmt %.0f "${NST[$mb]}") / $(fmt %.0f "$(calc "${NR[$mb]} / 1024")") / $(fmt %.0f "${NF[$mb]}") ${NNOTE[$mb]}"
    ratio="  (first screen $(fmt %.0fx "$(calc "${NS[$mb]} / ${RS[$mb]}")"), RSS $(fmt %.1fx "$(calc "${NR[$mb]} / ${RR[$mb]}")") Ladle's)"
  else
    naive="${NNOTE[$mb]}"; ratio=""
  fi
  printf '%-7s %-10s %8s %8s %9s %9s %8s | %s%s\n' "${mb}MB" "$(fmt %.0f "$pretty_mb")" \
    "$(fmt %.0f "${RS[$mb]}")" "$(fmt %.0f "${RST[$mb]}")" "$(fmt %.0f "$(calc "${RR[$mb]} / 1024")")" \
    "$(fmt %.0f "$target")" "$(fmt %.0f "${RN[$mb]}")" "$naive" "$ratio"
done

echo
echo "Targets"
for mb in "${ROWS[@]}"; do
  target_kib=$(calc "(150 + 0.02 * $mb) * 1000000 / 1024")
  echo "  $(verdict "${RS[$mb]}" '<=' 1000)  ${mb} MB: first screen <= 1 s: $(fmt %.0f "${RS[$mb]}") ms"
  echo "  $(verdict "${RST[$mb]}" '<=' 50)  ${mb} MB: no stall > 50 ms: $(fmt %.0f "${RST[$mb]}") ms"
  echo "  $(verdict "${RR[$mb]}" '<=' "$target_kib")  ${mb} MB: peak RSS <= 150 MB + 2 %: $(fmt %.0f "$(calc "${RR[$mb]} / 1024")") MiB (target $(fmt %.0f "$(calc "$target_kib / 1024")") MiB)"
  echo "  $(verdict "${RN[$mb]}" '>=' 200)  ${mb} MB: search >= 200 MB/s: $(fmt %.0f "${RN[$mb]}") MB/s"
done
exit 0
