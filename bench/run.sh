#!/bin/bash
# bench/run.sh — `ladle run` against httpyac and newman: the same N requests (default 1000), one
# `.http` file for Ladle and httpyac, the same requests as a Postman collection for newman, each
# request with one status assertion, all against one `ladle serve` on loopback.
#
# A benchmark, not a test: it asserts nothing, it prints wall time, peak RSS, ratios and the
# issue's targets (PASS/MISS). The server runs on CPU 0 (taskset), every client on CPU 1. The
# server is stopped on exit and the temporary folder removed.
#
#   bench/run.sh [--quick] [--count N] [--runs R]
#
#   --quick    200 requests, 1 run per client (instead of 1000 requests, 3 runs: the best counts)
#
# Environment: LADLE (default _build/src/ladle), NPM_PEERS (default _peers/npm/node_modules),
# SERVER_CPU (0), CLIENT_CPU (1).

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

"$ROOT/tools/deps.sh" bench || exit 1
LADLE=${LADLE:-$ROOT/_build/src/ladle}
NPM_PEERS=${NPM_PEERS:-$ROOT/_peers/npm/node_modules}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
COUNT=1000
RUNS=3

while [ $# -gt 0 ]; do
  case $1 in
    --quick) COUNT=200; RUNS=1 ;;
    --count) COUNT=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# Targets from the issue: at least 20× faster than the faster peer, at most 30 MiB peak RSS.
TARGET_SPEEDUP=20
TARGET_RSS_MIB=30

for tool in taskset curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: missing $tool" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "run.sh: missing /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$LADLE" ] || { echo "run.sh: $LADLE not found; build it first: ninja -C $ROOT/_build" >&2; exit 1; }
[ -x "$NPM_PEERS/.bin/httpyac" ] && [ -x "$NPM_PEERS/.bin/newman" ] || {
  echo "run.sh: httpyac/newman not found in $NPM_PEERS; run tools/npm-peers.sh" >&2; exit 1; }

TMP=$(mktemp -d -t ladle-bench-run.XXXXXX) || exit 1
SERVERS=()
# shellcheck source=lib.sh
. "$HERE/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(free_port)
mkdir -p "$TMP/serve"
# --idle-timeout 1: the server closes a kept-alive connection after 2 s of silence, not 60;
# newman's process exits only once that happens (node waits for its open sockets).
start_server serve "$TMP/serve" "$LADLE" serve --port "$port" --idle-timeout 1
wait_ready serve "http://127.0.0.1:$port/" || exit 1
HOST=http://127.0.0.1:$port

# The same requests, twice: GET /get?i=N with one status assertion each.
python3 - "$TMP" "$COUNT" <<'EOF'
import json, sys
tmp, count = sys.argv[1], int(sys.argv[2])
with open(f"{tmp}/requests.http", "w") as f:
    for i in range(count):
        f.write(f"### request {i}\nGET {{{{host}}}}/get?i={i}\n\n?? status == 200\n\n")
items = []
for i in range(count):
    items.append({
        "name": f"request {i}",
        "request": {"method": "GET", "header": [],
                    "url": {"raw": "{{host}}/get?i=%d" % i, "host": ["{{host}}"],
                            "path": ["get"], "query": [{"key": "i", "value": str(i)}]}},
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": [
            "pm.test(\"status\", function () { pm.response.to.have.status(200); });"]}}],
    })
collection = {
    "info": {"_postman_id": "00000000-0000-4000-8000-000000000000", "name": "bench",
             "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "item": items,
}
json.dump(collection, open(f"{tmp}/requests.postman_collection.json", "w"))
EOF

# time_client NAME CMD...: RUNS runs on CLIENT_CPU; keeps the best wall time and its peak RSS.
declare -A WALL RSS STATUS
time_client() {
  local name=$1 best="" best_rss="" i wall rss status
  shift
  for i in $(seq "$RUNS"); do
    ( cd "$TMP" && taskset -c "$CLIENT_CPU" /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "$@" \
        >"$TMP/$name.out" 2>"$TMP/$name.err" )
    status=$?
    read -r wall rss < "$TMP/$name.time"
    if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then
      best=$wall
      best_rss=$rss
    fi
  done
  WALL[$name]=$best
  RSS[$name]=$best_rss
  STATUS[$name]=$status
}

echo "== $COUNT requests against ladle serve ($HOST), best of $RUNS"
time_client ladle "$LADLE" run --no-color --var "host=$HOST" requests.http
time_client httpyac "$NPM_PEERS/.bin/httpyac" send requests.http --all --var "host=$HOST" -o none
time_client newman "$NPM_PEERS/.bin/newman" run requests.postman_collection.json \
  --env-var "host=$HOST" --reporters cli --reporter-cli-no-console

printf '\n%-8s %10s %12s %8s\n' client "wall (s)" "peak RSS" exit
for name in ladle httpyac newman; do
  printf '%-8s %10s %9s MiB %8s\n' "$name" "${WALL[$name]}" \
    "$(calc "${RSS[$name]} / 1024" | xargs printf '%.1f')" "${STATUS[$name]}"
done

faster=$(calc "${WALL[httpyac]} < ${WALL[newman]} ? ${WALL[httpyac]} : ${WALL[newman]}")
speedup=$(calc "$faster / ${WALL[ladle]}")
rss_mib=$(calc "${RSS[ladle]} / 1024")
echo
printf 'ladle run vs httpyac: %.1f× faster; vs newman: %.1f× faster\n' \
  "$(calc "${WALL[httpyac]} / ${WALL[ladle]}")" "$(calc "${WALL[newman]} / ${WALL[ladle]}")"
printf 'target: ≥ %s× the faster peer: %.1f× — %s\n' "$TARGET_SPEEDUP" "$speedup" \
  "$(verdict "$speedup" '>=' "$TARGET_SPEEDUP")"
printf 'target: peak RSS ≤ %s MiB: %.1f MiB — %s\n' "$TARGET_RSS_MIB" "$rss_mib" \
  "$(verdict "$rss_mib" '<=' "$TARGET_RSS_MIB")"
grep -h "requests:" "$TMP/ladle.out" | sed 's/^/ladle run: /'
