#!/bin/bash
# bench/tls.sh — `ladle serve --tls` against nginx with the same certificate, each beside its own
# plain-HTTP figure.
#
# A benchmark, not a test: it asserts nothing, it prints a table, the TLS/plain ratios and the
# issue's target (Ladle's HTTPS at least 0.75x its plain HTTP: PASS/MISS), with nginx's own ratio
# beside it. Loopback only; every server runs on CPU 0 (taskset -c 0) and wrk on CPU 1. Every
# server it starts is stopped on exit, and its temporary folder removed.
#
#   bench/tls.sh [--quick]
#
# Hello world with keep-alive (wrk -t1 -c50, HTTP/1.1: wrk speaks no h2), four servers one after
# the other: ladle plain, ladle --tls, nginx plain, nginx ssl. The certificate is the self-signed
# one `ladle serve --tls` makes (ECDSA P-256), in a data folder of the run's own; nginx is given
# the same files. The handshakes `ladle serve` counts (it prints them when it stops) are set
# against the connections the load made: one per connection, none per request.
#
#   --quick    3 s wrk runs instead of 10 s
#
# Environment: LADLE (default _build/src/ladle), SERVER_CPU (0), LOAD_CPU (1).
# See bench/README.md for what is measured and the caveats.

set -u
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

"$ROOT/tools/deps.sh" bench || exit 1
LADLE=${LADLE:-$ROOT/_build/src/ladle}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}

QUICK=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tls.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

WARMUP_S=2
DURATION_S=10
[ "$QUICK" = 1 ] && DURATION_S=3
CONNECTIONS=50
TARGET_TLS_RATIO=0.75

missing=()
for tool in taskset wrk curl nginx awk; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=("/usr/bin/time (apt-get install time)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "tls.sh: missing: ${missing[*]}" >&2
  echo "tls.sh: on Debian: apt-get install wrk nginx-light curl time util-linux" >&2
  exit 1
fi
if [ ! -x "$LADLE" ]; then
  echo "tls.sh: $LADLE not found; build it first: ninja -C $ROOT/_build" >&2
  exit 1
fi
if [ "$(nproc --all)" -lt 2 ]; then
  echo "tls.sh: needs 2 CPUs (server on $SERVER_CPU, load on $LOAD_CPU)" >&2
  exit 1
fi

TMP=$(mktemp -d -t ladle-bench-tls.XXXXXX) || exit 1
SERVERS=()
. "$HERE/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A RPS LAT_AVG CPU_US REQS ERRS TLS_INFO

cpu_ticks() {
  local pid
  pid=$(cat "$TMP/$1.pid" 2>/dev/null) || return
  sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

# wait_answer NAME URL: until curl -k gets any HTTP status (10 s at most)
wait_answer() {
  local name=$1 url=$2 code i
  for i in $(seq 100); do
    code=$(curl -sk -o /dev/null -m 1 -w '%{http_code}' "$url" 2>/dev/null)
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

# run_wrk NAME URL [CPU]: CPU "no" when the process measured is not the one that serves (nginx)
run_wrk() {
  local name=$1 url=$2 out=$TMP/$1.wrk ticks0 ticks1
  TLS_INFO[$name]=$(curl -sk -v -o /dev/null "$url" 2>&1 |
                    sed -n 's/^\* SSL connection using \(.*\)$/\1/p' | head -n 1)
  timeout $((WARMUP_S + 30)) taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_S}s" "$url" >/dev/null 2>&1
  ticks0=$(cpu_ticks "$name")
  timeout $((DURATION_S + 30)) taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION_S}s" "$url" >"$out" 2>&1
  ticks1=$(cpu_ticks "$name")
  RPS[$name]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  REQS[$name]=$(awk '/ requests in / { print $1 }' "$out")
  LAT_AVG[$name]=$(awk '$1 == "Latency" { print $2 }' "$out")
  ERRS[$name]=$(awk -F'Socket errors: ' '/Socket errors:/ { print $2 }' "$out")
  ERRS[$name]=${ERRS[$name]:-none}
  CPU_US[$name]=n/a
  if [ "${3:-yes}" = yes ] && [ -n "$ticks0" ] && [ -n "$ticks1" ] && [ -n "${REQS[$name]}" ] &&
     [ "${REQS[$name]}" -gt 0 ]; then
    CPU_US[$name]=$(calc "($ticks1 - $ticks0) * 1000000 / $(getconf CLK_TCK) / ${REQS[$name]}")
  fi
  [ -n "${RPS[$name]}" ] || { RPS[$name]=n/a; echo "  wrk failed against $name:" >&2; sed 's/^/    /' "$out" >&2; }
}

printf 'Ladle TLS benchmark, %s\n' "$(date '+%Y-%m-%d %H:%M')"
printf 'machine: %s, %s CPUs, kernel %s\n' \
  "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc --all)" "$(uname -r)"
printf 'peers: %s, %s, %s\n' "$("$LADLE" --version 2>&1 | head -n 1)" \
  "$(nginx -v 2>&1 | sed 's/^nginx version: //')" "$(wrk --version 2>&1 | head -n 1 | awk '{ print "wrk " $2 }')"
printf 'servers on CPU %s, wrk -t1 -c%s -d%ss (keep-alive) on CPU %s, after a %s s warm-up%s\n\n' \
  "$SERVER_CPU" "$CONNECTIONS" "$DURATION_S" "$LOAD_CPU" "$WARMUP_S" \
  "$([ "$QUICK" = 1 ] && echo ', QUICK run')"

# --- Ladle, plain
port=$(free_port)
echo "  ladle (http) ..." >&2
start_server ladle-http "$TMP" "$LADLE" serve --port "$port" --uploads "$TMP/uploads" --quiet
wait_answer ladle-http "http://127.0.0.1:$port/" && run_wrk ladle-http "http://127.0.0.1:$port/"
stop_server ladle-http

# --- Ladle, TLS (makes the certificate nginx uses next)
port=$(free_port)
echo "  ladle (https) ..." >&2
start_server ladle-https "$TMP" env XDG_DATA_HOME="$TMP/data" LANGUAGE= LC_ALL=C.UTF-8 \
  "$LADLE" serve --tls --port "$port" --uploads "$TMP/uploads" --quiet
if wait_answer ladle-https "https://127.0.0.1:$port/"; then
  run_wrk ladle-https "https://127.0.0.1:$port/"
fi
stop_server ladle-https
CERT=$(sed -n 's/^Certificate: \(.*\) (self-signed, made now)$/\1/p; s/^Certificate: \(.*[^)]\)$/\1/p' \
         "$TMP/ladle-https.log" | head -n 1)
KEY=$(dirname "$CERT")/localhost-key.pem
FINGERPRINT=$(sed -n 's/^SHA-256 fingerprint: //p' "$TMP/ladle-https.log")
HANDSHAKES=$(sed -n 's/^TLS handshakes: \([0-9]*\) completed, \([0-9]*\) failed$/\1/p' "$TMP/ladle-https.log")
HANDSHAKES_FAILED=$(sed -n 's/^TLS handshakes: \([0-9]*\) completed, \([0-9]*\) failed$/\2/p' "$TMP/ladle-https.log")

# --- nginx, plain and ssl, with Ladle's certificate
nginx_run() {   # nginx_run NAME LISTEN-SUFFIX SCHEME
  local name=$1 suffix=$2 scheme=$3 user_line=""
  port=$(free_port)
  [ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
  cat > "$TMP/$name.conf" <<EOF
$user_line
worker_processes 1;
daemon off;
pid $TMP/$name.pid.nginx;
error_log $TMP/$name-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 10000000;
    client_body_temp_path $TMP/nginx-client-body;
    proxy_temp_path       $TMP/nginx-proxy;
    fastcgi_temp_path     $TMP/nginx-fastcgi;
    uwsgi_temp_path       $TMP/nginx-uwsgi;
    scgi_temp_path        $TMP/nginx-scgi;
    server {
        listen 127.0.0.1:$port$suffix;
        ssl_protocols       TLSv1.2 TLSv1.3;
        ssl_certificate     $CERT;
        ssl_certificate_key $KEY;
        location = / { return 200 "Hello, World!"; }
    }
}
EOF
  echo "  $name ..." >&2
  start_server "$name" "$TMP" nginx -e "$TMP/$name-error.log" -p "$TMP" -c "$TMP/$name.conf"
  wait_answer "$name" "$scheme://127.0.0.1:$port/" && run_wrk "$name" "$scheme://127.0.0.1:$port/" no
  stop_server "$name"
}
if [ -n "$CERT" ] && [ -f "$KEY" ]; then
  nginx_run nginx-http "" http
  nginx_run nginx-https " ssl" https
else
  echo "  no certificate from ladle serve --tls: nginx skipped" >&2
  RPS[nginx-http]=n/a; RPS[nginx-https]=n/a
fi

# --- Results
printf '%-12s %10s %9s %11s %11s  %s\n' server req/s latency "cpu µs/req" "socket err" "TLS"
for name in ladle-http ladle-https nginx-http nginx-https; do
  printf '%-12s %10s %9s %11s %11s  %s\n' "$name" "$(fmt '%.0f' "${RPS[$name]:-n/a}")" \
    "${LAT_AVG[$name]:-n/a}" "$(fmt '%.1f' "${CPU_US[$name]:-n/a}")" "${ERRS[$name]:-n/a}" \
    "${TLS_INFO[$name]:--}"
done

ratio_ladle=$(calc "${RPS[ladle-https]:-n/a} / ${RPS[ladle-http]:-n/a}")
ratio_nginx=$(calc "${RPS[nginx-https]:-n/a} / ${RPS[nginx-http]:-n/a}")
ratio_peer=$(calc "${RPS[ladle-https]:-n/a} / ${RPS[nginx-https]:-n/a}")
printf '\nTLS/plain:   ladle %s (target >= %s: %s)   nginx %s\n' \
  "$(fmt '%.2fx' "$ratio_ladle")" "$TARGET_TLS_RATIO" \
  "$(verdict "$ratio_ladle" '>=' "$TARGET_TLS_RATIO")" "$(fmt '%.2fx' "$ratio_nginx")"
printf 'ladle/nginx over TLS: %s\n' "$(fmt '%.2fx' "$ratio_peer")"
printf 'certificate: %s\n  SHA-256 %s\n' "${CERT:-n/a}" "${FINGERPRINT:-n/a}"

# One handshake per connection: wrk opened CONNECTIONS in the warm-up and CONNECTIONS in the run,
# curl one for the TLS line and one or more while waiting for the server to answer.
if [ -n "${HANDSHAKES:-}" ] && [ -n "${REQS[ladle-https]:-}" ]; then
  expected=$((2 * CONNECTIONS + 1))
  printf 'ladle TLS handshakes: %s completed (%s failed) for %s requests on %s+ connections: %s\n' \
    "$HANDSHAKES" "${HANDSHAKES_FAILED:-0}" "${REQS[ladle-https]}" "$expected" \
    "$(if [ "$HANDSHAKES" -ge "$expected" ] && [ "$HANDSHAKES" -le $((expected + 100)) ]; then
         echo 'one per connection (PASS)'; else echo 'not one per connection (MISS)'; fi)"
fi
