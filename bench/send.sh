#!/bin/bash
# bench/send.sh — compares `ladle send` with curl (the limit) and HTTPie (a peer users know).
#
# A benchmark, not a test: it asserts nothing, it prints a table, ratios and the issue's targets
# (PASS/MISS). One nginx serves everything on loopback, pinned to CPU 0 (taskset -c 0); every
# client runs on CPU 1. nginx is stopped on exit, and the temporary folder removed.
#
#   bench/send.sh [--quick]
#
#   --quick    a 256 MiB download (2 runs per client) and 50 small requests, instead of 1 GiB
#              (5 runs per client) and 200
#
# Environment: LADLE (default _build/src/ladle), HTTP (default http, HTTPie's command),
# SERVER_CPU (0), CLIENT_CPU (1).
# See bench/README.md ("ladle send against curl and httpie") for what is measured and the caveats.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# Install what the benchmark needs (Debian packages), like the quick-start commands do.
"$ROOT/tools/deps.sh" bench || exit 1
LADLE=${LADLE:-$ROOT/_build/src/ladle}
HTTP=${HTTP:-http}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}

QUICK=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "send.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

if [ "$QUICK" = 1 ]; then
  DOWNLOAD_MIB=256
  DOWNLOAD_RUNS=2
  SMALL_COUNT=50
else
  DOWNLOAD_MIB=1024
  DOWNLOAD_RUNS=5
  SMALL_COUNT=200
fi
SMALL_WARMUP=3                               # untimed requests per client before the loop
BIG_SIZE=$((DOWNLOAD_MIB * 1024 * 1024))
MIN_FREE_KIB=$((DOWNLOAD_MIB * 1024 * 5 / 2))   # the served file, one download, room to spare
CLIENTS=(ladle curl httpie)

# Targets from the issue
TARGET_CURL_RATIO=0.9
TARGET_RSS_MIB=32

# ------------------------------------------------------------------------------------------------
# Prerequisites

missing=()
for tool in taskset curl nginx awk python3 fallocate "$HTTP"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "send.sh: missing: ${missing[*]}" >&2
  echo "send.sh: on Debian: apt-get install nginx-light curl httpie time util-linux" >&2
  exit 1
fi
if [ ! -x "$LADLE" ]; then
  echo "send.sh: $LADLE not found; build it first: ninja -C $ROOT/_build" >&2
  exit 1
fi
if [ "$(nproc --all)" -lt 2 ]; then
  echo "send.sh: needs 2 CPUs (server on $SERVER_CPU, clients on $CLIENT_CPU)" >&2
  exit 1
fi

# ------------------------------------------------------------------------------------------------
# Temporary folder and clean-up

TMP=$(mktemp -d -t ladle-bench-send.XXXXXX) || exit 1
SERVERS=()      # names of servers started and not yet stopped

cleanup() {
  local name
  for name in "${SERVERS[@]}"; do
    stop_server "$name" quiet
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------------------
# Helpers (the same as bench/serve.sh's)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# calc EXPR: floating-point arithmetic, "n/a" when any operand is n/a or a division is by zero
calc() {
  case "$1" in *n/a*) echo n/a; return ;; esac
  awk "BEGIN { x = ($1); print x }" 2>/dev/null || echo n/a
}

fmt() {   # fmt PRINTF-FORMAT VALUE
  case "$2" in ''|n/a|inf|-inf|nan) echo n/a ;; *) printf "$1" "$2" ;; esac
}

# verdict VALUE OP TARGET -> PASS / MISS / n/a
verdict() {
  case "$1" in ''|n/a) echo "n/a"; return ;; esac
  if awk "BEGIN { exit !($1 $2 $3) }"; then echo PASS; else echo MISS; fi
}

# start_server NAME DIR CMD... : runs CMD in DIR on SERVER_CPU; its pid goes to $TMP/NAME.pid
start_server() {
  local name=$1 dir=$2
  shift 2
  rm -f "$TMP/$name.pid"
  (
    cd "$dir" || exit 1
    exec taskset -c "$SERVER_CPU" sh -c 'echo $$ > "$0"; exec "$@"' "$TMP/$name.pid" "$@"
  ) >"$TMP/$name.log" 2>&1 </dev/null &
  echo $! > "$TMP/$name.wrapper"
  SERVERS+=("$name")
}

# wait_ready NAME URL: until the server answers anything over HTTP (10 s at most)
wait_ready() {
  local name=$1 url=$2 code i
  for i in $(seq 100); do
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" 2>/dev/null)
    [ "$code" != "000" ] && [ -n "$code" ] && return 0
    if ! kill -0 "$(cat "$TMP/$name.wrapper")" 2>/dev/null; then
      echo "  $name exited at start:" >&2
      sed 's/^/    /' "$TMP/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "  $name did not answer on $url within 10 s" >&2
  return 1
}

# stop_server NAME [quiet]: SIGTERM, 10 s grace, then SIGKILL
stop_server() {
  local name=$1 wrapper pid i n
  [ -f "$TMP/$name.wrapper" ] || return 0
  wrapper=$(cat "$TMP/$name.wrapper")
  pid=$(cat "$TMP/$name.pid" 2>/dev/null)
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null
  else
    kill -TERM "$wrapper" 2>/dev/null
  fi
  for i in $(seq 100); do
    kill -0 "$wrapper" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$wrapper" 2>/dev/null; then
    [ "${2:-}" = quiet ] || echo "  $name did not stop within 10 s: killed" >&2
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    sleep 0.2
    kill -KILL "$wrapper" 2>/dev/null
  fi
  wait "$wrapper" 2>/dev/null
  rm -f "$TMP/$name.wrapper"
  n=()
  for i in "${SERVERS[@]}"; do [ "$i" = "$name" ] || n+=("$i"); done
  SERVERS=("${n[@]+"${n[@]}"}")
}

# client_cmd NAME KIND URL [FILE]: the command line of one client; KIND is "download" (the body
# to FILE) or "small" (the body to stdout)
client_cmd() {
  local name=$1 kind=$2 url=$3 file=${4:-}
  case $name-$kind in
    ladle-download)  CMD=("$LADLE" send --raw -o "$file" "$url") ;;
    curl-download)   CMD=(curl -s -o "$file" "$url") ;;
    httpie-download) CMD=("$HTTP" --ignore-stdin --download --output "$file" "$url") ;;
    ladle-small)     CMD=("$LADLE" send --raw "$url") ;;
    curl-small)      CMD=(curl -s "$url") ;;
    httpie-small)    CMD=("$HTTP" --ignore-stdin --print=b "$url") ;;
  esac
}

# ------------------------------------------------------------------------------------------------
# nginx: a static 1 GiB file (sendfile on) and a tiny GET /

avail_kib=$(df -Pk "$TMP" | awk 'NR == 2 { print $4 }')
if [ "${avail_kib:-0}" -lt "$MIN_FREE_KIB" ]; then
  echo "send.sh: only $((avail_kib / 1024)) MiB free under $TMP, needs $((MIN_FREE_KIB / 1024)) MiB" >&2
  exit 1
fi

mkdir -p "$TMP/www" "$TMP/out"
fallocate -l "$BIG_SIZE" "$TMP/www/big.bin" 2>/dev/null ||
  head -c "$BIG_SIZE" /dev/zero > "$TMP/www/big.bin"
# Read it once so that nginx serves every client from the page cache (the first read of a
# fallocated file is slower and would all land on the first client).
cat "$TMP/www/big.bin" > /dev/null

port=$(free_port)
user_line=""
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"   # workers stay the current user
cat > "$TMP/nginx.conf" <<EOF
# generated by bench/send.sh: one worker, no access log, sendfile; everything stays in $TMP
$user_line
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    sendfile on;
    default_type application/octet-stream;

    client_body_temp_path $TMP/nginx-client-body;
    proxy_temp_path       $TMP/nginx-proxy;
    fastcgi_temp_path     $TMP/nginx-fastcgi;
    uwsgi_temp_path       $TMP/nginx-uwsgi;
    scgi_temp_path        $TMP/nginx-scgi;

    server {
        listen 127.0.0.1:$port;
        root $TMP/www;
        location = / {
            return 200 "Hello, World!";
        }
    }
}
EOF
start_server nginx "$TMP" nginx -e "$TMP/nginx-error.log" -p "$TMP" -c "$TMP/nginx.conf"
wait_ready nginx "http://127.0.0.1:$port/" || exit 1
BASE=http://127.0.0.1:$port

printf 'Ladle send benchmark, %s\n' "$(date '+%Y-%m-%d %H:%M')"
printf 'machine: %s, %s CPUs, kernel %s\n' \
  "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc --all)" "$(uname -r)"
printf 'clients: %s (libsoup %s), %s, HTTPie %s; server: %s\n' \
  "$("$LADLE" --version 2>&1 | head -n 1)" \
  "$(pkg-config --modversion libsoup-3.0 2>/dev/null || echo '?')" \
  "$(curl --version | head -n 1 | awk '{ print $1 " " $2 }')" \
  "$("$HTTP" --version 2>&1 | head -n 1)" "$(nginx -v 2>&1 | sed 's/^nginx version: //')"
printf 'nginx on CPU %s, clients on CPU %s, loopback 127.0.0.1%s\n\n' \
  "$SERVER_CPU" "$CLIENT_CPU" "$([ "$QUICK" = 1 ] && echo ', QUICK run')"

# ------------------------------------------------------------------------------------------------
# 1. Download to a file

declare -A DL_BEST DL_RSS DL_RUNS DL_CPU DL_CHECK

# download NAME RUN: one download under GNU time; appends to the NAME's figures
download() {
  local name=$1 file=$TMP/out/$1.bin tfile=$TMP/$1.dltime line e m u s size
  rm -f "$file" "$tfile"
  sync   # no dirty pages from the previous client: writeback is not this one's cost
  client_cmd "$name" download "$BASE/big.bin" "$file"
  timeout 300 taskset -c "$CLIENT_CPU" /usr/bin/time -f '%e %M %U %S' -o "$tfile" \
    "${CMD[@]}" </dev/null >"$TMP/$name.dlout" 2>&1
  # GNU time writes "Command exited with non-zero status N" first when it did; figures last.
  line=$(tail -n 1 "$tfile" 2>/dev/null)
  read -r e m u s <<<"$line"
  size=$(stat -c %s "$file" 2>/dev/null || echo missing)
  if [ "$size" != "$BIG_SIZE" ] || grep -q 'non-zero status' "$tfile" 2>/dev/null; then
    DL_CHECK[$name]="WRONG: $size B, $(head -n 1 "$tfile" 2>/dev/null)"
    sed 's/^/    /' "$TMP/$name.dlout" | head -n 5 >&2
    e=n/a
  fi
  DL_RUNS[$name]="${DL_RUNS[$name]:-}${DL_RUNS[$name]:+, }$(fmt '%.2f' "$e")"
  if [ "$e" != n/a ] && { [ "${DL_BEST[$name]:-n/a}" = n/a ] ||
       awk "BEGIN { exit !($e < ${DL_BEST[$name]}) }"; }; then
    DL_BEST[$name]=$e
    DL_CPU[$name]="$u + $s"
  fi
  if [ -n "${m:-}" ] && { [ -z "${DL_RSS[$name]:-}" ] || [ "$m" -gt "${DL_RSS[$name]}" ]; }; then
    DL_RSS[$name]=$m
  fi
  rm -f "$file"
}

echo "Running download: ${DOWNLOAD_MIB} MiB, $DOWNLOAD_RUNS run(s) per client, interleaved" >&2
for run in $(seq "$DOWNLOAD_RUNS"); do
  for name in "${CLIENTS[@]}"; do
    echo "  $name, run $run ..." >&2
    download "$name" "$run"
  done
done

declare -A DL_MIBS
for name in "${CLIENTS[@]}"; do
  DL_MIBS[$name]=$(calc "$DOWNLOAD_MIB / ${DL_BEST[$name]:-n/a}")
  DL_RSS[$name]=$(calc "${DL_RSS[$name]:-n/a} / 1024")
  DL_CHECK[$name]=${DL_CHECK[$name]:-same size}
done
ratio_dl_curl=$(calc "${DL_MIBS[ladle]} / ${DL_MIBS[curl]}")
ratio_dl_httpie=$(calc "${DL_MIBS[ladle]} / ${DL_MIBS[httpie]}")
DL_CURL_VERDICT=$(verdict "$ratio_dl_curl" '>=' "$TARGET_CURL_RATIO")
DL_RSS_VERDICT=$(verdict "${DL_RSS[ladle]}" '<=' "$TARGET_RSS_MIB")
DL_HTTPIE_VERDICT=$(verdict "$ratio_dl_httpie" '>' 1)

echo "1. Download: GET /big.bin (${DOWNLOAD_MIB} MiB, nginx sendfile) to a file, best of $DOWNLOAD_RUNS"
printf '  %-7s %8s %8s %13s %15s  %-11s  %s\n' client 'time' 'MiB/s' 'CPU usr+sys' \
  'client peak RSS' 'output' 'all runs (s)'
for name in "${CLIENTS[@]}"; do
  printf '  %-7s %8s %8s %13s %15s  %-11s  %s\n' "$name" \
    "$(fmt '%.2f s' "${DL_BEST[$name]:-n/a}")" "$(fmt '%.0f' "${DL_MIBS[$name]}")" \
    "${DL_CPU[$name]:-n/a}" "$(fmt '%.1f MiB' "${DL_RSS[$name]}")" "${DL_CHECK[$name]}" \
    "${DL_RUNS[$name]:-n/a}"
done
for name in "${CLIENTS[@]}"; do
  client_cmd "$name" download URL FILE
  printf '  %-7s %s\n' "$name:" "${CMD[*]#"$ROOT/"}"
done
printf '  ladle/curl throughput:   %s   target >= %sx: %s\n' "$(fmt '%.2fx' "$ratio_dl_curl")" \
  "$TARGET_CURL_RATIO" "$DL_CURL_VERDICT"
printf '  ladle/httpie throughput: %s   target > 1x: %s\n' "$(fmt '%.2fx' "$ratio_dl_httpie")" \
  "$DL_HTTPIE_VERDICT"
printf '  ladle peak RSS: %s   target <= %s MiB: %s\n' "$(fmt '%.1f MiB' "${DL_RSS[ladle]}")" \
  "$TARGET_RSS_MIB" "$DL_RSS_VERDICT"
rm -rf "$TMP/www/big.bin" "$TMP/out"

# ------------------------------------------------------------------------------------------------
# 2. Small requests, one process each

declare -A SM_TIME SM_FAILS SM_BODY

# small NAME: SMALL_WARMUP untimed requests, then SMALL_COUNT in a loop, all on CLIENT_CPU
small() {
  local name=$1 out=$TMP/$1.small line
  client_cmd "$name" small "$BASE/"
  for i in $(seq "$SMALL_WARMUP"); do
    taskset -c "$CLIENT_CPU" "${CMD[@]}" </dev/null >/dev/null 2>&1
  done
  rm -f "$out" "$out.fails" "$TMP/$name.smtime"
  timeout 600 taskset -c "$CLIENT_CPU" /usr/bin/time -f '%e' -o "$TMP/$name.smtime" \
    bash -c 'out=$1 n=$2 fails=0; shift 2
             for ((i = 0; i < n; i++)); do
               "$@" </dev/null >"$out" 2>/dev/null || fails=$((fails + 1))
             done
             echo "$fails" > "$out.fails"' _ "$out" "$SMALL_COUNT" "${CMD[@]}"
  line=$(tail -n 1 "$TMP/$name.smtime" 2>/dev/null)
  SM_TIME[$name]=${line:-n/a}
  SM_FAILS[$name]=$(cat "$out.fails" 2>/dev/null || echo '?')
  if grep -q 'Hello, World!' "$out" 2>/dev/null; then SM_BODY[$name]=ok; else SM_BODY[$name]=WRONG; fi
  [ "${SM_FAILS[$name]}" = 0 ] || SM_TIME[$name]=n/a
}

echo "Running small requests: $SMALL_COUNT x GET / per client, one process each" >&2
for name in "${CLIENTS[@]}"; do
  echo "  $name ..." >&2
  small "$name"
done

ratio_sm_curl=$(calc "${SM_TIME[ladle]} / ${SM_TIME[curl]}")
ratio_sm_httpie=$(calc "${SM_TIME[httpie]} / ${SM_TIME[ladle]}")
SM_HTTPIE_VERDICT=$(verdict "$ratio_sm_httpie" '>' 1)

echo
echo "2. Small requests: $SMALL_COUNT x GET / (13-byte body), one process each, sequential"
printf '  %-7s %9s %11s %7s %5s  %s\n' client 'total' 'per request' 'req/s' fails 'last body'
for name in "${CLIENTS[@]}"; do
  printf '  %-7s %9s %11s %7s %5s  %s\n' "$name" "$(fmt '%.2f s' "${SM_TIME[$name]}")" \
    "$(fmt '%.1f ms' "$(calc "1000 * ${SM_TIME[$name]} / $SMALL_COUNT")")" \
    "$(fmt '%.0f' "$(calc "$SMALL_COUNT / ${SM_TIME[$name]}")")" "${SM_FAILS[$name]}" \
    "${SM_BODY[$name]}"
done
for name in "${CLIENTS[@]}"; do
  client_cmd "$name" small URL
  printf '  %-7s %s\n' "$name:" "${CMD[*]#"$ROOT/"}"
done
printf '  ladle/curl time:   %s (1x = as fast as curl)\n' "$(fmt '%.2fx' "$ratio_sm_curl")"
printf '  httpie/ladle time: %s   target > 1x (ladle faster): %s\n' \
  "$(fmt '%.2fx' "$ratio_sm_httpie")" "$SM_HTTPIE_VERDICT"

stop_server nginx

echo
echo "Targets"
printf '  %-4s  download throughput ladle >= %sx curl                 %s\n' "$DL_CURL_VERDICT" \
  "$TARGET_CURL_RATIO" "$(fmt '%.2fx' "$ratio_dl_curl")"
printf '  %-4s  download peak RSS ladle <= %s MiB                     %s\n' "$DL_RSS_VERDICT" \
  "$TARGET_RSS_MIB" "$(fmt '%.1f MiB' "${DL_RSS[ladle]}")"
printf '  %-4s  download throughput ladle > httpie                    %s\n' "$DL_HTTPIE_VERDICT" \
  "$(fmt '%.2fx' "$ratio_dl_httpie")"
printf '  %-4s  %s small requests: ladle faster than httpie          %s\n' "$SM_HTTPIE_VERDICT" \
  "$SMALL_COUNT" "$(fmt '%.2fx' "$ratio_sm_httpie")"
