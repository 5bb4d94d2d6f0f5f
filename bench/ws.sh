#!/bin/bash
# bench/ws.sh — WebSocket echo: `ladle serve` against the tutorial's aiohttp server, and `ladle ws`
# against aiohttp's client.
#
# A benchmark, not a test: it asserts nothing, it prints tables, ratios and the issue's targets
# (PASS/MISS). Loopback only; every server runs on CPU 0 (taskset -c 0), every client on CPU 1.
# Servers are stopped on exit, and the temporary folder removed.
#
#   bench/ws.sh [--quick]
#
#   --quick    2 000 small and 20 large messages instead of 20 000 and 200
#
# Environment: LADLE (default _build/src/ladle), PYTHON (default /usr/bin/python3, which has
# Debian's python3-aiohttp), SERVER_CPU (0), CLIENT_CPU (1).
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
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}

QUICK=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ws.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

if [ "$QUICK" = 1 ]; then
  SMALL_COUNT=2000
  LARGE_COUNT=20
else
  SMALL_COUNT=20000
  LARGE_COUNT=200
fi
SMALL_SIZE=16                 # bytes of each small message ("m123 xxxxxxxxxxx")
LARGE_SIZE=$((1024 * 1024))
PREFIX="Message received: "   # what both servers' /ws put before the message

# Targets from the issue
TARGET_SMALL=1.5
TARGET_LARGE=1

# ------------------------------------------------------------------------------------------------
# Prerequisites

missing=()
for tool in taskset curl awk timeout "$PYTHON"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ws.sh: missing: ${missing[*]}" >&2
  echo "ws.sh: on Debian: apt-get install curl util-linux python3-aiohttp" >&2
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
# 1. Servers, one client: bench/ws_client.py (aiohttp), sequential round trips

for name in ladle aiohttp; do
  url=$LADLE_URL
  [ "$name" = aiohttp ] && url=$AIOHTTP_URL
  client "srv-$name-small" "$url" seq "$SMALL_COUNT" "$SMALL_SIZE"
  client "srv-$name-large" "$url" seq "$LARGE_COUNT" "$LARGE_SIZE"
done

echo "1. Servers: the same aiohttp client, one connection, one message at a time (send, wait for"
echo "   the reply), GET /ws on both (\"Message received: X\")"
printf '  %-8s %9s %9s %9s %9s   %9s %10s\n' server "msgs/s" "lat avg" "lat p50" "lat p99" \
  "1MiB MiB/s" "1MiB lat"
for name in ladle aiohttp; do
  printf '  %-8s %9s %9s %9s %9s   %9s %10s\n' "$name" \
    "$(fmt %.0f "$(field "srv-$name-small" msgs_per_s)")" \
    "$(us "$(field "srv-$name-small" lat_avg_us)")" \
    "$(us "$(field "srv-$name-small" lat_p50_us)")" \
    "$(us "$(field "srv-$name-small" lat_p99_us)")" \
    "$(fmt %.1f "$(field "srv-$name-large" mib_per_s)")" \
    "$(ms "$(field "srv-$name-large" lat_avg_us)")"
done
SRV_SMALL=$(calc "$(field srv-ladle-small msgs_per_s) / $(field srv-aiohttp-small msgs_per_s)")
SRV_LARGE=$(calc "$(field srv-ladle-large mib_per_s) / $(field srv-aiohttp-large mib_per_s)")
printf '  %d small (%d B) and %d x 1 MiB text messages\n' "$SMALL_COUNT" "$SMALL_SIZE" "$LARGE_COUNT"
printf '  ladle/aiohttp small msgs/s: %sx   target >= %sx: %s\n' "$(fmt %.2f "$SRV_SMALL")" \
  "$TARGET_SMALL" "$(verdict "$SRV_SMALL" '>=' "$TARGET_SMALL")"
printf '  ladle/aiohttp 1 MiB MiB/s:  %sx   target >= %sx: %s\n\n' "$(fmt %.2f "$SRV_LARGE")" \
  "$TARGET_LARGE" "$(verdict "$SRV_LARGE" '>=' "$TARGET_LARGE")"

# ------------------------------------------------------------------------------------------------
# 2. Clients, one server (ladle serve /ws)

# a) Sequential round trips. aiohttp's client runs in the driver's process; `ladle ws` is driven
# through its stdin and stdout (one line out, one line back), so its figures include two pipe
# hops, measured alone with `cat` in its place.
client cli-aiohttp-small "$LADLE_URL" seq "$SMALL_COUNT" "$SMALL_SIZE"
client cli-ladle-small "$LADLE_URL" drive "$SMALL_COUNT" "$SMALL_SIZE"
client cli-cat-small "$LADLE_URL" drive-cat "$SMALL_COUNT" "$SMALL_SIZE"
client cli-aiohttp-large "$LADLE_URL" seq "$LARGE_COUNT" "$LARGE_SIZE"
client cli-ladle-large "$LADLE_URL" drive "$LARGE_COUNT" "$LARGE_SIZE"
client cli-cat-large "$LADLE_URL" drive-cat "$LARGE_COUNT" "$LARGE_SIZE"

# b) Whole processes, messages pipelined: `ladle ws --send` x N (sent at once, then N replies)
# against ws_client.py's pipe mode, start-up and connection included.
sends=()
for i in $(seq "$SMALL_COUNT"); do sends+=(--send "m$i"); done
T_LADLE_PIPE=$(whole cli-ladle-pipe "$LADLE" ws --timeout 120 "$LADLE_URL" "${sends[@]}")
n_lines=$(wc -l < "$TMP/cli-ladle-pipe.out" 2>/dev/null || echo 0)
T_AIOHTTP_PIPE=$(whole cli-aiohttp-pipe "$PYTHON" "$CLIENT" "$LADLE_URL" pipe "$SMALL_COUNT" \
                 "$SMALL_SIZE" "$PREFIX")

echo "2. Clients against ladle serve /ws"
echo "a) one message at a time; ladle ws driven through stdin/stdout (a line out, a line back)"
printf '  %-16s %9s %9s %9s %9s   %9s %10s\n' client "msgs/s" "lat avg" "lat p50" "lat p99" \
  "1MiB MiB/s" "1MiB lat"
for name in aiohttp ladle cat; do
  label=$name
  [ "$name" = ladle ] && label="ladle ws (pipes)"
  [ "$name" = cat ] && label="cat (pipes only)"
  printf '  %-16s %9s %9s %9s %9s   %9s %10s\n' "$label" \
    "$(fmt %.0f "$(field "cli-$name-small" msgs_per_s)")" \
    "$(us "$(field "cli-$name-small" lat_avg_us)")" \
    "$(us "$(field "cli-$name-small" lat_p50_us)")" \
    "$(us "$(field "cli-$name-small" lat_p99_us)")" \
    "$(fmt %.1f "$(field "cli-$name-large" mib_per_s)")" \
    "$(ms "$(field "cli-$name-large" lat_avg_us)")"
done
CLI_SMALL=$(calc "$(field cli-ladle-small msgs_per_s) / $(field cli-aiohttp-small msgs_per_s)")
CLI_LARGE=$(calc "$(field cli-ladle-large mib_per_s) / $(field cli-aiohttp-large mib_per_s)")
printf '  ladle ws/aiohttp small msgs/s: %sx   target >= %sx: %s\n' "$(fmt %.2f "$CLI_SMALL")" \
  "$TARGET_SMALL" "$(verdict "$CLI_SMALL" '>=' "$TARGET_SMALL")"
printf '  ladle ws/aiohttp 1 MiB MiB/s:  %sx   target >= %sx: %s\n' "$(fmt %.2f "$CLI_LARGE")" \
  "$TARGET_LARGE" "$(verdict "$CLI_LARGE" '>=' "$TARGET_LARGE")"
echo "b) whole process, $SMALL_COUNT small messages pipelined (start-up and connection included)"
printf '  ladle ws --send x %d:      %s s (%s replies)\n' "$SMALL_COUNT" \
  "$(fmt %.2f "$T_LADLE_PIPE")" "$n_lines"
printf '  ws_client.py pipe (aiohttp): %s s\n' "$(fmt %.2f "$T_AIOHTTP_PIPE")"
CLI_PIPE=$(calc "$T_AIOHTTP_PIPE / $T_LADLE_PIPE")
printf '  aiohttp time / ladle time:   %sx (> 1: ladle faster)\n\n' "$(fmt %.2f "$CLI_PIPE")"

echo "Targets"
printf '  %-4s  %-50s %sx\n' "$(verdict "$SRV_SMALL" '>=' "$TARGET_SMALL")" \
  "server small msgs/s ladle >= ${TARGET_SMALL}x aiohttp" "$(fmt %.2f "$SRV_SMALL")"
printf '  %-4s  %-50s %sx\n' "$(verdict "$SRV_LARGE" '>=' "$TARGET_LARGE")" \
  "server 1 MiB MiB/s ladle >= ${TARGET_LARGE}x aiohttp" "$(fmt %.2f "$SRV_LARGE")"
printf '  %-4s  %-50s %sx\n' "$(verdict "$CLI_SMALL" '>=' "$TARGET_SMALL")" \
  "client small msgs/s ladle ws >= ${TARGET_SMALL}x aiohttp" "$(fmt %.2f "$CLI_SMALL")"
printf '  %-4s  %-50s %sx\n' "$(verdict "$CLI_LARGE" '>=' "$TARGET_LARGE")" \
  "client 1 MiB MiB/s ladle ws >= ${TARGET_LARGE}x aiohttp" "$(fmt %.2f "$CLI_LARGE")"
