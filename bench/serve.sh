#!/bin/bash
# bench/serve.sh — compares `ladle serve` with the tutorial's aiohttp servers and with nginx.
#
# A benchmark, not a test: it asserts nothing, it prints a table, ratios and the issue's targets
# (PASS/MISS). Loopback only; every server runs on CPU 0 (taskset -c 0) and the load generator
# (wrk, curl) on CPU 1. Every server it starts is stopped on exit, and its temporary folder removed.
#
#   bench/serve.sh [--quick] [--random]
#
# Three workloads: hello world with keep-alive (wrk), a large multipart upload (curl -F), and 60
# clients posting 10 MB bodies at once (the memory bound of request bodies).
#
#   --quick    3 s wrk runs and a 256 MiB upload instead of 10 s and 1 GiB
#   --random   upload a file of /dev/urandom bytes (about 5 s more per GiB to create) instead of a
#              zero-filled one made with fallocate
#
# Environment: LADLE (default _build/src/ladle), PYTHON (default /usr/bin/python3, which has
# Debian's python3-aiohttp), SERVER_CPU (0), LOAD_CPU (1); BASE: another ladle build, run side by
# side with LADLE on both workloads (row "base", ratio ladle/base), to see what a change costs.
# See bench/README.md for what is measured and the caveats.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# Install what the benchmark needs (Debian packages), like the quick-start commands do.
"$ROOT/tools/deps.sh" bench || exit 1
LADLE=${LADLE:-$ROOT/_build/src/ladle}
PYTHON=${PYTHON:-/usr/bin/python3}
SEED=$ROOT/tests/seed
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}

QUICK=0
RANDOM_DATA=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --random) RANDOM_DATA=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

WARMUP_S=2
if [ "$QUICK" = 1 ]; then
  DURATION_S=3
  UPLOAD_MIB=256
  UPLOAD_RUNS=1
else
  DURATION_S=10
  UPLOAD_MIB=1024
  UPLOAD_RUNS=2
fi
CONNECTIONS=50
MIN_FREE_KIB=$((3 * 1024 * 1024))   # 3 GiB: the file, its stored copy, and room to spare

# Targets from the issue
TARGET_HELLO_RATIO=2
TARGET_UPLOAD_RATIO=5
TARGET_UPLOAD_RSS_MIB=32

# ------------------------------------------------------------------------------------------------
# Prerequisites

missing=()
for tool in taskset wrk curl nginx awk "$PYTHON"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "serve.sh: missing: ${missing[*]}" >&2
  echo "serve.sh: on Debian: apt-get install wrk nginx-light curl time util-linux python3-aiohttp" >&2
  exit 1
fi
if [ ! -x "$LADLE" ]; then
  echo "serve.sh: $LADLE not found; build it first: ninja -C $ROOT/_build" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import aiohttp' 2>/dev/null; then
  echo "serve.sh: $PYTHON cannot import aiohttp (apt-get install python3-aiohttp)" >&2
  exit 1
fi
if [ "$(nproc --all)" -lt 2 ]; then
  echo "serve.sh: needs 2 CPUs (server on $SERVER_CPU, load on $LOAD_CPU)" >&2
  exit 1
fi

# ------------------------------------------------------------------------------------------------
# Temporary folder and clean-up

TMP=$(mktemp -d -t ladle-bench.XXXXXX) || exit 1
SERVERS=()      # names of servers started and not yet stopped

# Servers, ports and numbers: bench/lib.sh
. "$HERE/lib.sh"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------------------
# Helpers

# keep_alive URL: "yes" when curl re-uses the connection for a second request
keep_alive() {
  local n
  n=$(taskset -c "$LOAD_CPU" curl -s -m 5 -o /dev/null -o /dev/null \
        -w '%{num_connects} ' "$1" "$1" 2>/dev/null)
  case "$n" in "1 0 ") echo yes ;; "1 1 ") echo "NO" ;; *) echo "?($n)" ;; esac
}

# ------------------------------------------------------------------------------------------------
# 1. Hello world, keep-alive

declare -A RPS LAT_AVG LAT_MAX KA NON2XX SOCKERR HELLO_RSS CPU_US

# cpu_ticks NAME: user + system clock ticks the server process has used so far
cpu_ticks() {
  local pid
  pid=$(cat "$TMP/$1.pid" 2>/dev/null) || return
  # fields 14 and 15 of /proc/PID/stat, counted after the command name (which may hold spaces)
  sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

# run_wrk NAME URL
run_wrk() {
  local name=$1 url=$2 out=$TMP/$1.wrk ticks0 ticks1 requests
  KA[$name]=$(keep_alive "$url")
  timeout $((WARMUP_S + 30)) taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_S}s" "$url" >/dev/null 2>&1
  ticks0=$(cpu_ticks "$name")
  timeout $((DURATION_S + 30)) taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION_S}s" "$url" >"$out" 2>&1
  ticks1=$(cpu_ticks "$name")
  RPS[$name]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  requests=$(awk '/ requests in / { print $1 }' "$out")
  # Server CPU time per request: steadier than req/s on a busy machine (nginx: the master only)
  CPU_US[$name]=n/a
  if [ -n "$ticks0" ] && [ -n "$ticks1" ] && [ -n "$requests" ] && [ "$requests" -gt 0 ]; then
    CPU_US[$name]=$(calc "($ticks1 - $ticks0) * 1000000 / $(getconf CLK_TCK) / $requests")
  fi
  LAT_AVG[$name]=$(awk '$1 == "Latency" { print $2 }' "$out")
  LAT_MAX[$name]=$(awk '$1 == "Latency" { print $4 }' "$out")
  NON2XX[$name]=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  NON2XX[$name]=${NON2XX[$name]:-0}
  SOCKERR[$name]=$(awk -F'Socket errors: ' '/Socket errors:/ { print $2 }' "$out")
  SOCKERR[$name]=${SOCKERR[$name]:-none}
  [ -n "${RPS[$name]}" ] || { RPS[$name]=n/a; echo "  wrk failed against $name:" >&2; sed 's/^/    /' "$out" >&2; }
}

hello() {
  local name=$1 port=$2
  shift 2
  echo "  $name ..." >&2
  if wait_ready "$name" "http://127.0.0.1:$port/"; then
    run_wrk "$name" "http://127.0.0.1:$port/"
  else
    RPS[$name]=n/a
  fi
  stop_server "$name"
  HELLO_RSS[$name]=$PEAK_RSS_KIB
}

printf 'Ladle serve benchmark, %s\n' "$(date '+%Y-%m-%d %H:%M')"
printf 'machine: %s, %s CPUs, kernel %s\n' \
  "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc --all)" "$(uname -r)"
printf 'peers: %s, aiohttp %s, %s, %s\n' "$("$LADLE" --version 2>&1 | head -n 1)" \
  "$("$PYTHON" -c 'import aiohttp; print(aiohttp.__version__)')" \
  "$(nginx -v 2>&1 | sed 's/^nginx version: //')" "$(wrk --version 2>&1 | head -n 1 | awk '{ print "wrk " $2 }')"
printf 'servers on CPU %s, load generator on CPU %s, loopback 127.0.0.1%s\n\n' \
  "$SERVER_CPU" "$LOAD_CPU" "$([ "$QUICK" = 1 ] && echo ', QUICK run')"

echo "Running hello world: wrk -t1 -c$CONNECTIONS -d${DURATION_S}s after a ${WARMUP_S} s warm-up" >&2

BASE=${BASE:-}
NAMES="ladle"
port=$(free_port)
start_server ladle "$TMP" "$LADLE" serve --port "$port" --uploads "$TMP/ladle-uploads" --quiet
hello ladle "$port"
if [ -n "$BASE" ]; then
  NAMES="ladle base"
  port=$(free_port)
  start_server base "$TMP" "$BASE" serve --port "$port" --uploads "$TMP/base-uploads" --quiet
  hello base "$port"
fi

port=$(free_port)
start_server aiohttp "$TMP" "$PYTHON" "$SEED/server_simple.py" --port "$port"
hello aiohttp "$port"

port=$(free_port)
user_line=""
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"   # workers stay the current user
sed -e "s|@TMP@|$TMP|g" -e "s|@PORT@|$port|g" -e "s|@USER_LINE@|$user_line|" \
  "$HERE/nginx.conf.in" > "$TMP/nginx.conf"
start_server nginx "$TMP" nginx -e "$TMP/nginx-error.log" -p "$TMP" -c "$TMP/nginx.conf"
hello nginx "$port"

ratio_aiohttp=$(calc "${RPS[ladle]} / ${RPS[aiohttp]}")
ratio_nginx=$(calc "${RPS[ladle]} / ${RPS[nginx]}")

echo
echo "1. Hello world, keep-alive: wrk -t1 -c$CONNECTIONS -d${DURATION_S}s (after ${WARMUP_S} s warm-up)"
printf '  %-8s %10s %9s %9s %9s %10s %8s  %-34s %9s\n' \
  server 'req/s' 'CPU/req' 'lat avg' 'lat max' keep-alive non-2xx 'socket errors' 'peak RSS'
for name in $NAMES aiohttp nginx; do
  printf '  %-8s %10s %9s %9s %9s %10s %8s  %-34s %9s\n' "$name" \
    "$(fmt '%.0f' "${RPS[$name]}")" "$(fmt '%.1f us' "${CPU_US[$name]:-n/a}")" \
    "${LAT_AVG[$name]:-n/a}" "${LAT_MAX[$name]:-n/a}" \
    "${KA[$name]:-n/a}" "${NON2XX[$name]:-n/a}" "${SOCKERR[$name]:-n/a}" \
    "$(fmt '%.1f MiB' "$(calc "${HELLO_RSS[$name]} / 1024")")"
done
printf '  ladle/aiohttp: %s   target >= %sx: %s\n' "$(fmt '%.2fx' "$ratio_aiohttp")" \
  "$TARGET_HELLO_RATIO" "$(verdict "$ratio_aiohttp" '>=' "$TARGET_HELLO_RATIO")"
printf '  ladle/nginx:   %s\n' "$(fmt '%.2fx' "$ratio_nginx")"
[ -n "$BASE" ] && printf '  ladle/base:    %s req/s, %s CPU per request\n' \
  "$(fmt '%.2fx' "$(calc "${RPS[ladle]} / ${RPS[base]}")")" \
  "$(fmt '%.2fx' "$(calc "${CPU_US[ladle]} / ${CPU_US[base]}")")"
HELLO_VERDICT=$(verdict "$ratio_aiohttp" '>=' "$TARGET_HELLO_RATIO")

# ------------------------------------------------------------------------------------------------
# 2. Large multipart upload

declare -A UP_TIME UP_CODE UP_MIBS UP_STORED UP_RSS UP_RUNS

# upload NAME PORT STORED-PATH: UPLOAD_RUNS uploads to one server; keeps the best time
upload() {
  local name=$1 port=$2 stored=$3 out t code run times=""
  echo "  $name ..." >&2
  UP_TIME[$name]=n/a; UP_MIBS[$name]=n/a; UP_CODE[$name]=n/a; UP_STORED[$name]=n/a
  if wait_ready "$name" "http://127.0.0.1:$port/"; then
    for run in $(seq "$UPLOAD_RUNS"); do
      rm -f "$stored"
      sync   # start with no dirty pages: writeback throttling from earlier writes is noise
      out=$(timeout 600 taskset -c "$LOAD_CPU" curl -s -o "$TMP/$name.response" \
              -w '%{time_total} %{http_code}' -F "file=@$TMP/big.bin" "http://127.0.0.1:$port/upload")
      t=$(echo "$out" | awk '{ print $1 }')
      code=$(echo "$out" | awk '{ print $2 }')
      times="$times${times:+, }$(fmt '%.2f' "$t")"
      if [ -f "$stored" ]; then
        if [ "$(stat -c %s "$stored")" = "$BIG_SIZE" ]; then
          [ "${UP_STORED[$name]}" = n/a ] && UP_STORED[$name]="same size"
        else
          UP_STORED[$name]="WRONG $(stat -c %s "$stored") B"
        fi
      else
        UP_STORED[$name]="MISSING"
      fi
      [ "${UP_CODE[$name]}" = n/a ] || [ "$code" = 200 ] || UP_CODE[$name]=$code
      [ "${UP_CODE[$name]}" = n/a ] && UP_CODE[$name]=$code
      if [ "$code" = 200 ] && { [ "${UP_TIME[$name]}" = n/a ] ||
           awk "BEGIN { exit !($t < ${UP_TIME[$name]}) }"; }; then
        UP_TIME[$name]=$t
      fi
    done
    UP_MIBS[$name]=$(calc "$UPLOAD_MIB / ${UP_TIME[$name]}")
    UP_RUNS[$name]=$times
  fi
  stop_server "$name"
  UP_RSS[$name]=$(calc "$PEAK_RSS_KIB / 1024")
  rm -rf "$(dirname "$stored")"
}

echo
avail_kib=$(df -Pk "$TMP" | awk 'NR == 2 { print $4 }')
if [ "${avail_kib:-0}" -lt "$MIN_FREE_KIB" ]; then
  echo "2. Upload: SKIPPED, only $((avail_kib / 1024)) MiB free under $TMP (needs 3 GiB)"
  UPLOAD_VERDICT=n/a
  RSS_VERDICT=n/a
else
  echo "Running upload: ${UPLOAD_MIB} MiB multipart with curl -F, $UPLOAD_RUNS run(s) per server" >&2
  BIG_SIZE=$((UPLOAD_MIB * 1024 * 1024))
  if [ "$RANDOM_DATA" = 1 ]; then
    data_note="random bytes from /dev/urandom"
    head -c "$BIG_SIZE" /dev/urandom > "$TMP/big.bin"
  else
    data_note="zero-filled file made with fallocate"
    fallocate -l "$BIG_SIZE" "$TMP/big.bin" 2>/dev/null || head -c "$BIG_SIZE" /dev/zero > "$TMP/big.bin"
  fi
  # Read it once so that every server gets it from the page cache (the first read of a fallocated
  # file costs curl about 2 s of page-cache filling: the first server would pay it alone).
  cat "$TMP/big.bin" > /dev/null

  port=$(free_port)
  start_server ladle "$TMP" "$LADLE" serve --port "$port" --uploads "$TMP/ladle-uploads" --quiet
  upload ladle "$port" "$TMP/ladle-uploads/big.bin"
  if [ -n "$BASE" ]; then
    port=$(free_port)
    start_server base "$TMP" "$BASE" serve --port "$port" --uploads "$TMP/base-uploads" --quiet
    upload base "$port" "$TMP/base-uploads/big.bin"
  fi

  port=$(free_port)
  mkdir -p "$TMP/aiohttp-cwd"
  start_server aiohttp "$TMP/aiohttp-cwd" "$PYTHON" "$SEED/server_files.py" --port "$port"
  upload aiohttp "$port" "$TMP/aiohttp-cwd/uploads/big.bin"

  rm -f "$TMP/big.bin"
  ratio_upload=$(calc "${UP_MIBS[ladle]} / ${UP_MIBS[aiohttp]}")
  UPLOAD_VERDICT=$(verdict "$ratio_upload" '>=' "$TARGET_UPLOAD_RATIO")
  RSS_VERDICT=$(verdict "${UP_RSS[ladle]}" '<=' "$TARGET_UPLOAD_RSS_MIB")

  echo "2. Upload: ${UPLOAD_MIB} MiB multipart, curl -F file=@big.bin ($data_note)," \
    "best of $UPLOAD_RUNS"
  printf '  %-8s %9s %9s %6s %-12s %15s  %s\n' server 'time' 'MiB/s' HTTP 'stored file' \
    'server peak RSS' 'all runs (s)'
  for name in $NAMES aiohttp; do
    printf '  %-8s %9s %9s %6s %-12s %15s  %s\n' "$name" \
      "$(fmt '%.2f s' "${UP_TIME[$name]}")" "$(fmt '%.1f' "${UP_MIBS[$name]}")" \
      "${UP_CODE[$name]}" "${UP_STORED[$name]}" "$(fmt '%.1f MiB' "${UP_RSS[$name]}")" \
      "${UP_RUNS[$name]:-n/a}"
  done
  printf '  ladle/aiohttp throughput: %s   target >= %sx: %s\n' "$(fmt '%.2fx' "$ratio_upload")" \
    "$TARGET_UPLOAD_RATIO" "$UPLOAD_VERDICT"
  [ -n "$BASE" ] && printf '  ladle/base throughput:    %s\n' \
    "$(fmt '%.2fx' "$(calc "${UP_MIBS[ladle]} / ${UP_MIBS[base]}")")"
  printf '  ladle peak RSS: %s   target <= %s MiB: %s\n' "$(fmt '%.1f MiB' "${UP_RSS[ladle]}")" \
    "$TARGET_UPLOAD_RSS_MIB" "$RSS_VERDICT"
fi

# ------------------------------------------------------------------------------------------------
# 3. Many request bodies at once: 60 clients POST 10 MB each to /anything together (the server
#    echoes each body in its JSON answer). Ladle keeps request bodies under a memory bound
#    (--max-body-memory, 64 MiB by default) and answers 503 beyond it; peak RSS shows the bound.

declare -A BODY_OK BODY_503 BODY_RSS
BODY_CLIENTS=60
BODY_MB=10

bodies() {
  local name=$1 port=$2 codes
  echo "  $name ..." >&2
  BODY_OK[$name]=n/a; BODY_503[$name]=n/a
  if wait_ready "$name" "http://127.0.0.1:$port/"; then
    codes=$(seq "$BODY_CLIENTS" | timeout 600 taskset -c "$LOAD_CPU" xargs -P "$BODY_CLIENTS" -I{} \
              curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/octet-stream' \
              --data-binary "@$TMP/body.bin" "http://127.0.0.1:$port/anything")
    BODY_OK[$name]=$(echo "$codes" | grep -c '^200$')
    BODY_503[$name]=$(echo "$codes" | grep -c '^503$')
  fi
  stop_server "$name"
  BODY_RSS[$name]=$PEAK_RSS_KIB
}

echo "Running many bodies: $BODY_CLIENTS clients POST ${BODY_MB} MB each at once" >&2
head -c $((BODY_MB * 1000 * 1000)) /dev/urandom > "$TMP/body.bin"
for name in $NAMES; do
  port=$(free_port)
  bin=$LADLE
  [ "$name" = base ] && bin=$BASE
  start_server "$name" "$TMP" "$bin" serve --port "$port" --uploads "$TMP/$name-uploads" --quiet
  bodies "$name" "$port"
done
rm -f "$TMP/body.bin"

echo
echo "3. Many bodies at once: $BODY_CLIENTS clients POST ${BODY_MB} MB each to /anything together"
printf '  %-8s %6s %6s %15s\n' server '200' '503' 'server peak RSS'
for name in $NAMES; do
  printf '  %-8s %6s %6s %15s\n' "$name" "${BODY_OK[$name]}" "${BODY_503[$name]}" \
    "$(fmt '%.1f MiB' "$(calc "${BODY_RSS[$name]} / 1024")")"
done

echo
echo "Targets"
printf '  %-4s  hello req/s ladle >= %sx aiohttp (keep-alive)        %s\n' "$HELLO_VERDICT" \
  "$TARGET_HELLO_RATIO" "$(fmt '%.2fx' "$ratio_aiohttp")"
printf '  %-4s  upload throughput ladle >= %sx aiohttp                 %s\n' "$UPLOAD_VERDICT" \
  "$TARGET_UPLOAD_RATIO" "$(fmt '%.2fx' "${ratio_upload:-n/a}")"
printf '  %-4s  upload peak RSS ladle <= %s MiB                        %s\n' "$RSS_VERDICT" \
  "$TARGET_UPLOAD_RSS_MIB" "$(fmt '%.1f MiB' "${UP_RSS[ladle]:-n/a}")"
