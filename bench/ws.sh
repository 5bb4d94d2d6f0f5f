#!/bin/bash
# bench/ws.sh — WebSocket echo: `ladle serve` against the tutorial's aiohttp server (with a C load
# client that is not the bottleneck, and with aiohttp's client), and `ladle ws` against aiohttp's
# client.
#
# A benchmark, not a test: it asserts nothing, it prints tables, ratios and the issue's targets
# (PASS/MISS). Loopback only; every server runs on CPU 0 (taskset -c 0), every client on CPU 1.
# Servers are stopped on exit, and the temporary folder removed.
#
#   bench/ws.sh [--quick] [--rounds N]
#
#   --quick      2 000 small and 20 large messages instead of 20 000 and 200
#   --rounds N   run the measured comparisons N times (default 3), the two sides interleaved, and
#                judge the targets on the median of the per-round ratios
#
# Environment: LADLE (default _build/src/ladle), PYTHON (default /usr/bin/python3, which has
# Debian's python3-aiohttp), CC (default cc, for bench/ws_bench_client.c), SERVER_CPU (0),
# CLIENT_CPU (1).
# See bench/README.md ("WebSocket echo") for what is measured and the caveats.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# Install what the benchmark needs (Debian packages), like the quick-start commands do.
"$ROOT/tools/deps.sh" bench || exit 1
LADLE=${LADLE:-$ROOT/_build/src/ladle}
PYTHON=${PYTHON:-/usr/bin/python3}
SEED=$ROOT/tests/seed
CLIENT=$HERE/ws_client.py
CC=${CC:-cc}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}

QUICK=0
ROUNDS=3
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 ;;
    --rounds) ROUNDS=${2:-}; shift ;;
    --rounds=*) ROUNDS=${1#--rounds=} ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ws.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case $ROUNDS in
  ''|*[!0-9]*|0) echo "ws.sh: --rounds takes a whole number of rounds, 1 or more" >&2; exit 2 ;;
esac

if [ "$QUICK" = 1 ]; then
  SMALL_COUNT=2000
  LARGE_COUNT=20
else
  SMALL_COUNT=20000
  LARGE_COUNT=200
fi
SMALL_SIZE=16                 # bytes of each small message ("m123 xxxxxxxxxxx")
WINDOW=64                     # small messages in flight for the throughput figure
LARGE_SIZE=$((1024 * 1024))
PREFIX="Message received: "   # what both servers' /ws put before the message

# Targets from the issue
TARGET_SMALL=1.5
TARGET_LARGE=1

# ------------------------------------------------------------------------------------------------
# Prerequisites

missing=()
for tool in taskset curl awk timeout "$PYTHON" "$CC"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ws.sh: missing: ${missing[*]}" >&2
  echo "ws.sh: on Debian: apt-get install curl util-linux python3-aiohttp gcc" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import aiohttp' 2>/dev/null; then
  echo "ws.sh: $PYTHON cannot import aiohttp (apt-get install python3-aiohttp)" >&2
  exit 1
fi
if [ ! -x "$LADLE" ]; then
  echo "ws.sh: $LADLE not found; build it first: ninja -C $ROOT/_build" >&2
  exit 1
fi
if [ "$(nproc --all)" -lt 2 ]; then
  echo "ws.sh: needs 2 CPUs (servers on $SERVER_CPU, clients on $CLIENT_CPU)" >&2
  exit 1
fi

# ------------------------------------------------------------------------------------------------
# Temporary folder and clean-up

TMP=$(mktemp -d -t ladle-bench-ws.XXXXXX) || exit 1
SERVERS=()      # names of servers started and not yet stopped

# Servers, ports and numbers: bench/lib.sh
. "$HERE/lib.sh"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The C load client: libc only, one connection, blocking sockets
CCLIENT=$TMP/ws_bench_client
if ! "$CC" -O2 -o "$CCLIENT" "$HERE/ws_bench_client.c"; then
  echo "ws.sh: could not compile bench/ws_bench_client.c with $CC" >&2
  exit 1
fi
# A 1 MiB text message for `ladle ws --send-text-file` ("m1 xxx…", like the other clients')
LARGE_FILE=$TMP/large.txt
{ printf 'm1 '; head -c $((LARGE_SIZE - 3)) /dev/zero | tr '\0' x; } > "$LARGE_FILE"

# ------------------------------------------------------------------------------------------------
# Helpers

us() {    # us VALUE: whole microseconds with the unit, or n/a
  case "$1" in ''|n/a|inf|-inf|nan) echo n/a ;; *) printf '%.0fus' "$1" ;; esac
}

ms() {    # ms MICROSECONDS: milliseconds with the unit, or n/a
  case "$1" in ''|n/a|inf|-inf|nan) echo n/a ;; *) printf '%.2fms' "$(calc "$1 / 1000")" ;; esac
}

# client KEY URL MODE COUNT SIZE: runs bench/ws_client.py on CLIENT_CPU; its JSON goes to
# $TMP/KEY.json (empty on failure, with the error on stderr)
client() {
  local key=$1
  shift
  echo "  $key ..." >&2
  if ! LADLE=$LADLE timeout 900 taskset -c "$CLIENT_CPU" "$PYTHON" "$CLIENT" "$@" "$PREFIX" \
       > "$TMP/$key.json" 2> "$TMP/$key.err"; then
    echo "  $key failed:" >&2
    sed 's/^/    /' "$TMP/$key.err" >&2
    : > "$TMP/$key.json"
  fi
}

# cclient KEY PORT COUNT SIZE [WINDOW]: runs bench/ws_bench_client.c on CLIENT_CPU against
# 127.0.0.1:PORT/ws, one message at a time or WINDOW in flight
cclient() {
  local key=$1
  echo "  $key ..." >&2
  if ! timeout 900 taskset -c "$CLIENT_CPU" "$CCLIENT" 127.0.0.1 "$2" /ws "$3" "$4" "$PREFIX" \
       "${5:-1}" > "$TMP/$key.json" 2> "$TMP/$key.err"; then
    echo "  $key failed:" >&2
    sed 's/^/    /' "$TMP/$key.err" >&2
    : > "$TMP/$key.json"
  fi
}

# ladle_ws KEY COUNT ARGS...: `ladle ws --repeat COUNT+50 --stats ARGS` on CLIENT_CPU against
# ladle serve's /ws; its --stats JSON goes to $TMP/KEY.json
ladle_ws() {
  local key=$1 count=$2
  shift 2
  echo "  $key ..." >&2
  if timeout 900 taskset -c "$CLIENT_CPU" "$LADLE" ws --timeout 600 "$LADLE_URL" "$@" \
       --repeat $((count + 50)) --stats > "$TMP/$key.out" 2> "$TMP/$key.err"; then
    grep '^{' "$TMP/$key.err" | tail -n 1 > "$TMP/$key.json"
  else
    echo "  $key failed:" >&2
    sed 's/^/    /' "$TMP/$key.err" | head -n 5 >&2
    : > "$TMP/$key.json"
  fi
}

# field KEY NAME: one figure of a client run, or n/a
field() {
  "$PYTHON" -c 'import json, sys
try:
    print(json.load(open(sys.argv[1]))[sys.argv[2]])
except Exception:
    print("n/a")' "$TMP/$1.json" "$2"
}

# whole KEY CMD...: wall time of one whole process on CLIENT_CPU (start-up and connection
# included), its stdout to $TMP/KEY.out; prints seconds, or n/a on failure
whole() {
  local key=$1 t0 t1
  shift
  echo "  $key ..." >&2
  t0=$(date +%s.%N)
  if ! timeout 300 taskset -c "$CLIENT_CPU" "$@" > "$TMP/$key.out" 2> "$TMP/$key.err"; then
    echo "  $key failed:" >&2
    sed 's/^/    /' "$TMP/$key.err" | head -n 5 >&2
    echo n/a
    return
  fi
  t1=$(date +%s.%N)
  calc "$t1 - $t0"
}

# ------------------------------------------------------------------------------------------------
# Servers: `ladle serve` (access log off: aiohttp runs with access_log=None) and server_ws.py

mkdir -p "$TMP/uploads"
LADLE_PORT=$(free_port)
start_server ladle "$TMP" "$LADLE" serve --quiet --port "$LADLE_PORT" --uploads "$TMP/uploads"
wait_ready ladle "http://127.0.0.1:$LADLE_PORT/" || exit 1
AIOHTTP_PORT=$(free_port)
start_server aiohttp "$TMP" "$PYTHON" "$SEED/server_ws.py" --port "$AIOHTTP_PORT"
wait_ready aiohttp "http://127.0.0.1:$AIOHTTP_PORT/" || exit 1
LADLE_URL=ws://127.0.0.1:$LADLE_PORT/ws
AIOHTTP_URL=ws://127.0.0.1:$AIOHTTP_PORT/ws

printf 'Ladle WebSocket benchmark, %s\n' "$(date '+%Y-%m-%d %H:%M')"
printf 'machine: %s, %s CPUs, kernel %s\n' \
  "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc --all)" "$(uname -r)"
printf '%s (libsoup %s), aiohttp %s (Python %s)\n' \
  "$("$LADLE" --version 2>&1 | head -n 1)" \
  "$(pkg-config --modversion libsoup-3.0 2>/dev/null || echo '?')" \
  "$("$PYTHON" -c 'import aiohttp; print(aiohttp.__version__)')" \
  "$("$PYTHON" -c 'import platform; print(platform.python_version())')"
printf 'servers on CPU %s, clients on CPU %s, loopback 127.0.0.1%s\n\n' \
  "$SERVER_CPU" "$CLIENT_CPU" "$([ "$QUICK" = 1 ] && echo ', QUICK run')"

# ------------------------------------------------------------------------------------------------
# 1. Servers: the same client for both, one message at a time (send, wait for the reply)

# The C client's runs, ROUNDS times, ladle and aiohttp interleaved so that a slow spell of this
# shared machine lands on both; the aiohttp client's runs once.
for r in $(seq "$ROUNDS"); do
  for name in ladle aiohttp; do
    port=$LADLE_PORT
    if [ "$name" = aiohttp ]; then port=$AIOHTTP_PORT; fi
    cclient "srv-t-$name-small-$r" "$port" "$SMALL_COUNT" "$SMALL_SIZE" "$WINDOW"
    cclient "srv-c-$name-small-$r" "$port" "$SMALL_COUNT" "$SMALL_SIZE"
    cclient "srv-c-$name-large-$r" "$port" "$LARGE_COUNT" "$LARGE_SIZE"
  done
done
for name in ladle aiohttp; do
  url=$LADLE_URL
  if [ "$name" = aiohttp ]; then url=$AIOHTTP_URL; fi
  client "srv-py-$name-small" "$url" seq "$SMALL_COUNT" "$SMALL_SIZE"
  client "srv-py-$name-large" "$url" seq "$LARGE_COUNT" "$LARGE_SIZE"
done

row() {   # row LABEL KEY-SMALL KEY-LARGE
  printf '  %-20s %9s %9s %9s %9s   %9s %10s\n' "$1" \
    "$(fmt %.0f "$(field "$2" msgs_per_s)")" \
    "$(us "$(field "$2" lat_avg_us)")" \
    "$(us "$(field "$2" lat_p50_us)")" \
    "$(us "$(field "$2" lat_p99_us)")" \
    "$(fmt %.1f "$(field "$3" mib_per_s)")" \
    "$(ms "$(field "$3" lat_avg_us)")"
}
header() {
  printf '  %-20s %9s %9s %9s %9s   %9s %10s\n' "$1" "msgs/s" "lat avg" "lat p50" "lat p99" \
    "1MiB MiB/s" "1MiB lat"
}

# ratios A-PREFIX B-PREFIX FIELD: the per-round ratios A/B of FIELD, one per line
ratios() {
  local r
  for r in $(seq "$ROUNDS"); do
    calc "$(field "$1-$r" "$3") / $(field "$2-$r" "$3")"
  done
}

# median: the median of the numbers on stdin (n/a lines ignored), or n/a
median() {
  "$PYTHON" -c 'import sys, statistics
v = []
for line in sys.stdin:
    try:
        v.append(float(line))
    except ValueError:
        pass
print(statistics.median(v) if v else "n/a")'
}

# list: the numbers on stdin as "1.23 1.45 ..."
list() {
  local out=() x
  while read -r x; do out+=("$(fmt %.2f "$x")"); done
  echo "${out[*]}"
}

echo "1. Servers: one connection, GET /ws on both (\"Message received: X\"); $SMALL_COUNT small"
echo "   ($SMALL_SIZE B) and $LARGE_COUNT x 1 MiB text messages"
echo "a) C client (bench/ws_bench_client.c: libc, blocking sockets), the figures for the targets;"
echo "   $ROUNDS round(s), ladle and aiohttp interleaved"
echo "   throughput: $SMALL_COUNT small messages with $WINDOW in flight (latency includes the queue)"
printf '  %-20s %9s %9s %9s\n' server msgs/s "lat p50" "lat p99"
for r in $(seq "$ROUNDS"); do
  for name in ladle aiohttp; do
    printf '  %-20s %9s %9s %9s\n' "$name (round $r)" \
      "$(fmt %.0f "$(field "srv-t-$name-small-$r" msgs_per_s)")" \
      "$(us "$(field "srv-t-$name-small-$r" lat_p50_us)")" \
      "$(us "$(field "srv-t-$name-small-$r" lat_p99_us)")"
  done
done
SRV_TPUT=$(ratios srv-t-ladle-small srv-t-aiohttp-small msgs_per_s | median)
printf '  ladle/aiohttp small msgs/s per round: %s\n' \
  "$(ratios srv-t-ladle-small srv-t-aiohttp-small msgs_per_s | list)"
printf '  median small throughput: %sx   target >= %sx: %s\n' "$(fmt %.2f "$SRV_TPUT")" \
  "$TARGET_SMALL" "$(verdict "$SRV_TPUT" '>=' "$TARGET_SMALL")"
echo "   round trips: one message at a time (send, wait for the reply); 1 MiB messages likewise"
header server
for r in $(seq "$ROUNDS"); do
  row "ladle (round $r)" "srv-c-ladle-small-$r" "srv-c-ladle-large-$r"
  row "aiohttp (round $r)" "srv-c-aiohttp-small-$r" "srv-c-aiohttp-large-$r"
done
SRV_SMALL=$(ratios srv-c-ladle-small srv-c-aiohttp-small msgs_per_s | median)
SRV_LARGE=$(ratios srv-c-ladle-large srv-c-aiohttp-large mib_per_s | median)
printf '  ladle/aiohttp small msgs/s per round: %s\n' \
  "$(ratios srv-c-ladle-small srv-c-aiohttp-small msgs_per_s | list)"
printf '  ladle/aiohttp 1 MiB MiB/s per round:  %s\n' \
  "$(ratios srv-c-ladle-large srv-c-aiohttp-large mib_per_s | list)"
printf '  median small round-trip rate: %sx   (latency-bound: see bench/README.md)\n' \
  "$(fmt %.2f "$SRV_SMALL")"
printf '  median 1 MiB MiB/s:  %sx   target >= %sx: %s\n' "$(fmt %.2f "$SRV_LARGE")" \
  "$TARGET_LARGE" "$(verdict "$SRV_LARGE" '>=' "$TARGET_LARGE")"
echo "b) aiohttp client (bench/ws_client.py), for comparison"
header server
row ladle srv-py-ladle-small srv-py-ladle-large
row aiohttp srv-py-aiohttp-small srv-py-aiohttp-large
SRV_PY_SMALL=$(calc "$(field srv-py-ladle-small msgs_per_s) / $(field srv-py-aiohttp-small msgs_per_s)")
SRV_PY_LARGE=$(calc "$(field srv-py-ladle-large mib_per_s) / $(field srv-py-aiohttp-large mib_per_s)")
printf '  ladle/aiohttp small msgs/s: %sx   1 MiB MiB/s: %sx\n\n' "$(fmt %.2f "$SRV_PY_SMALL")" \
  "$(fmt %.2f "$SRV_PY_LARGE")"

# ------------------------------------------------------------------------------------------------
# 2. Clients, one server (ladle serve /ws)

# a) One message at a time: aiohttp's client (ws_client.py seq) against `ladle ws --repeat N
# --stats` (each message sent once the previous reply arrived; no pipes in between).
for r in $(seq "$ROUNDS"); do
  client "cli-aiohttp-small-$r" "$LADLE_URL" seq "$SMALL_COUNT" "$SMALL_SIZE"
  ladle_ws "cli-ladle-small-$r" "$SMALL_COUNT" --send "m123 xxxxxxxxxxx"
  client "cli-aiohttp-large-$r" "$LADLE_URL" seq "$LARGE_COUNT" "$LARGE_SIZE"
  ladle_ws "cli-ladle-large-$r" "$LARGE_COUNT" --send-text-file "$LARGE_FILE"
done

# b) Whole processes, messages pipelined: `ladle ws --send` x N (sent at once, then N replies)
# against ws_client.py's pipe mode, start-up and connection included.
sends=()
for i in $(seq "$SMALL_COUNT"); do sends+=(--send "m$i"); done
T_LADLE_PIPE=$(whole cli-ladle-pipe "$LADLE" ws --timeout 120 "$LADLE_URL" "${sends[@]}")
n_lines=$(wc -l < "$TMP/cli-ladle-pipe.out" 2>/dev/null || echo 0)
T_AIOHTTP_PIPE=$(whole cli-aiohttp-pipe "$PYTHON" "$CLIENT" "$LADLE_URL" pipe "$SMALL_COUNT" \
                 "$SMALL_SIZE" "$PREFIX")

echo "2. Clients against ladle serve /ws"
echo "a) one message at a time; ladle ws --repeat N --stats (its figures include 50 warm-up"
echo "   messages, the others' do not); the C client's row from 1a for reference"
echo "   $ROUNDS round(s), aiohttp and ladle ws interleaved"
header client
for r in $(seq "$ROUNDS"); do
  row "aiohttp (round $r)" "cli-aiohttp-small-$r" "cli-aiohttp-large-$r"
  row "ladle ws (round $r)" "cli-ladle-small-$r" "cli-ladle-large-$r"
done
row "C client (1a, r1)" srv-c-ladle-small-1 srv-c-ladle-large-1
CLI_SMALL=$(ratios cli-ladle-small cli-aiohttp-small msgs_per_s | median)
CLI_LARGE=$(ratios cli-ladle-large cli-aiohttp-large mib_per_s | median)
printf '  ladle ws/aiohttp small msgs/s per round: %s\n' \
  "$(ratios cli-ladle-small cli-aiohttp-small msgs_per_s | list)"
printf '  ladle ws/aiohttp 1 MiB MiB/s per round:  %s\n' \
  "$(ratios cli-ladle-large cli-aiohttp-large mib_per_s | list)"
printf '  median small msgs/s: %sx   target >= %sx: %s\n' "$(fmt %.2f "$CLI_SMALL")" \
  "$TARGET_SMALL" "$(verdict "$CLI_SMALL" '>=' "$TARGET_SMALL")"
printf '  median 1 MiB MiB/s:  %sx   target >= %sx: %s\n' "$(fmt %.2f "$CLI_LARGE")" \
  "$TARGET_LARGE" "$(verdict "$CLI_LARGE" '>=' "$TARGET_LARGE")"
echo "b) whole process, $SMALL_COUNT small messages pipelined (start-up and connection included)"
printf '  ladle ws --send x %d:      %s s (%s replies)\n' "$SMALL_COUNT" \
  "$(fmt %.2f "$T_LADLE_PIPE")" "$n_lines"
printf '  ws_client.py pipe (aiohttp): %s s\n' "$(fmt %.2f "$T_AIOHTTP_PIPE")"
CLI_PIPE=$(calc "$T_AIOHTTP_PIPE / $T_LADLE_PIPE")
printf '  aiohttp time / ladle time:   %sx (> 1: ladle faster)\n\n' "$(fmt %.2f "$CLI_PIPE")"

echo "Targets"
printf '  %-4s  %-50s %sx\n' "$(verdict "$SRV_TPUT" '>=' "$TARGET_SMALL")" \
  "server small msgs/s ladle >= ${TARGET_SMALL}x aiohttp (median)" "$(fmt %.2f "$SRV_TPUT")"
printf '  %-4s  %-50s %sx\n' "info" "server small round trips, one at a time (median)" \
  "$(fmt %.2f "$SRV_SMALL")"
printf '  %-4s  %-50s %sx\n' "$(verdict "$SRV_LARGE" '>=' "$TARGET_LARGE")" \
  "server 1 MiB MiB/s ladle >= ${TARGET_LARGE}x aiohttp (median)" "$(fmt %.2f "$SRV_LARGE")"
printf '  %-4s  %-50s %sx\n' "$(verdict "$CLI_SMALL" '>=' "$TARGET_SMALL")" \
  "client small msgs/s ladle ws >= ${TARGET_SMALL}x aiohttp (median)" "$(fmt %.2f "$CLI_SMALL")"
printf '  %-4s  %-50s %sx\n' "$(verdict "$CLI_LARGE" '>=' "$TARGET_LARGE")" \
  "client 1 MiB MiB/s ladle ws >= ${TARGET_LARGE}x aiohttp (median)" "$(fmt %.2f "$CLI_LARGE")"
