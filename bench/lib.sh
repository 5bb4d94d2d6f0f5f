#!/usr/bin/env bash
# Shared by the bench/ scripts (sourced, not run): starting servers pinned to $SERVER_CPU with GNU
# time around them, waiting for them, stopping them, and small number helpers. The sourcing script
# sets TMP (a temporary folder) and SERVERS=() first, and `trap cleanup EXIT`.

PYTHON=${PYTHON:-/usr/bin/python3}

cleanup() {
  local name
  for name in "${SERVERS[@]}"; do
    stop_server "$name" quiet
  done
  rm -rf "$TMP"
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# calc EXPR: floating-point arithmetic, "n/a" when any operand is n/a or a division is by zero
calc() {
  case "$1" in *n/a*) echo n/a; return ;; esac
  awk "BEGIN { x = ($1); print x }" 2>/dev/null || echo n/a
}

# verdict VALUE OP TARGET -> PASS / MISS / n/a
verdict() {
  case "$1" in ''|n/a) echo "n/a"; return ;; esac
  if awk "BEGIN { exit !($1 $2 $3) }"; then echo PASS; else echo MISS; fi
}

# start_server NAME DIR CMD... : runs CMD in DIR on SERVER_CPU under GNU time (peak RSS at exit).
# `sh -c 'echo $$; exec'` leaves the server's own pid in $TMP/NAME.pid, so that it, not time,
# gets the SIGTERM.
start_server() {
  local name=$1 dir=$2
  shift 2
  rm -f "$TMP/$name.pid" "$TMP/$name.time"
  (
    cd "$dir" || exit 1
    exec taskset -c "$SERVER_CPU" /usr/bin/time -f '%M %U %S' -o "$TMP/$name.time" \
      sh -c 'echo $$ > "$0"; exec "$@"' "$TMP/$name.pid" "$@"
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

# stop_server NAME [quiet]: SIGTERM, 10 s grace, then SIGKILL; sets PEAK_RSS_KIB
stop_server() {
  local name=$1 wrapper pid i n
  PEAK_RSS_KIB=n/a
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
  # GNU time writes "Command exited with non-zero status N" first when it did; figures last.
  if [ -s "$TMP/$name.time" ]; then
    PEAK_RSS_KIB=$(tail -n 1 "$TMP/$name.time" | awk '{ print $1 }')
  fi
}

fmt() {   # fmt PRINTF-FORMAT VALUE
  case "$2" in ''|n/a|inf|-inf|nan) echo n/a ;; *) printf "$1" "$2" ;; esac
}
