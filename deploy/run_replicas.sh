#!/usr/bin/env bash
# Start N Streamlit replicas of the dashboard on loopback plus nginx in front of them, all as foreground
# (non-daemon) processes of this script; Ctrl-C or SIGTERM to this script stops all of them.
#
#   deploy/run_replicas.sh                       # nginx on 127.0.0.1:8080, replicas on 8601, 8602
#   LISTEN_PORT=9080 REPLICA_PORTS="9601 9602 9603" APP=bench/floor_app.py deploy/run_replicas.sh
#
# State (rendered nginx.conf, logs, pid files: nginx.pid, replica-<port>.pid) goes to $PREFIX
# (default /tmp/footprint-deploy). Every replica gets the same server.cookieSecret ($FOOTPRINT_COOKIE_SECRET, or
# one generated for this run) so a cookie signed by one replica is valid on the others.
set -euo pipefail
cd "$(dirname "$0")/.."

APP="${APP:-dashboard.py}"
LISTEN_PORT="${LISTEN_PORT:-8080}"
REPLICA_PORTS="${REPLICA_PORTS:-8601 8602}"
PREFIX="${PREFIX:-/tmp/footprint-deploy}"
NGINX="${NGINX:-/usr/sbin/nginx}"
PYTHON="${PYTHON:-python}"
SECRET="${FOOTPRINT_COOKIE_SECRET:-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')}"
TTL="${SESSION_TTL:-120}"

mkdir -p "$PREFIX/logs" "$PREFIX/tmp"
for d in client_body proxy fastcgi uwsgi scgi; do mkdir -p "$PREFIX/tmp/$d"; done
# nginx started as root runs its worker as `nobody`: let it write its temp and log files.
if [ "$(id -u)" = 0 ]; then chown -R nobody "$PREFIX/tmp" "$PREFIX/logs" 2>/dev/null || true; fi

servers=""
for port in $REPLICA_PORTS; do servers+="        server 127.0.0.1:${port} max_fails=0;"$'\n'; done
sed -e "s#@PREFIX@#${PREFIX}#g" -e "s#@LISTEN@#127.0.0.1:${LISTEN_PORT}#g" deploy/nginx.conf.template \
  | awk -v servers="$servers" '{ if ($0 == "@UPSTREAM_SERVERS@") printf "%s", servers; else print }' \
  > "$PREFIX/nginx.conf"
"$NGINX" -t -q -e "$PREFIX/logs/error.log" -p "$PREFIX" -c "$PREFIX/nginx.conf"

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$PREFIX"/replica-*.pid "$PREFIX/nginx.pid"
}
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 130' INT
trap cleanup EXIT

# Streamlit refuses server.cookieSecret on the command line; the environment variable is the supported way.
export STREAMLIT_SERVER_COOKIE_SECRET="$SECRET"

for port in $REPLICA_PORTS; do
  "$PYTHON" -m streamlit run "$APP" \
    --server.address=127.0.0.1 --server.port="$port" --server.headless=true \
    --server.disconnectedSessionTTL="$TTL" \
    --server.fileWatcherType=none --browser.gatherUsageStats=false \
    >"$PREFIX/logs/replica-$port.log" 2>&1 &
  pids+=("$!")
  echo "$!" >"$PREFIX/replica-$port.pid"
done
"$NGINX" -e "$PREFIX/logs/error.log" -p "$PREFIX" -c "$PREFIX/nginx.conf" &
pids+=("$!")

# Ready when every replica answers its health endpoint and nginx proxies it; give up if a process died.
for port in $REPLICA_PORTS "$LISTEN_PORT"; do
  for i in $(seq 1 120); do
    if "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=2)" 2>/dev/null; then
      break
    fi
    for pid in "${pids[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "a process ($pid) exited during start-up; see $PREFIX/logs/" >&2
        exit 1
      fi
    done
    if [ "$i" = 120 ]; then echo "port $port not ready after 60 s" >&2; exit 1; fi
    sleep 0.5
  done
done
# Readiness proves more than /_stcore/health: every page renders on every replica (bench/healthcheck.py, the
# same check a Kubernetes readinessProbe runs). It also warms each replica (imports, tables, default figures),
# so the first readers sent to a fresh replica do not pay its start-up.
for port in $REPLICA_PORTS; do
  if ! "$PYTHON" -m bench.healthcheck "http://127.0.0.1:$port/" >"$PREFIX/logs/healthcheck-$port.log" 2>&1; then
    echo "replica $port does not render its pages; see $PREFIX/logs/healthcheck-$port.log" >&2
    exit 1
  fi
done
echo "ready: http://127.0.0.1:${LISTEN_PORT}/ -> replicas ${REPLICA_PORTS} (prefix ${PREFIX})"
wait -n "${pids[@]}"
echo "a process exited; stopping the others" >&2
exit 1
