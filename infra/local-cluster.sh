#!/usr/bin/env bash
# copboard as a cluster on this machine: N instances (default 2) behind HAProxy, against a local
# PostgreSQL and Redis. Every run gets its own PostgreSQL schema and Redis key prefix, so runs in
# parallel (tests) never meet, and `stop` removes exactly what `start` created.
#
#   infra/local-cluster.sh start   # prints the proxy URL (last line of stdout)
#   infra/local-cluster.sh stop
#
# Environment (all optional):
#   CLUSTER_DIR       state directory (pids, ports, logs, haproxy.cfg)   default /tmp/copboard-cluster
#   CLUSTER_INSTANCES number of instances                                default 2
#   DATABASE_URL      default postgres://postgres@127.0.0.1:5432/test
#   REDIS_URL         default redis://127.0.0.1:6379
#   LOG_LEVEL, ROOM_IDLE_MS, AUTOSAVE_MINUTES … are passed to the instances.
# $CLUSTER_DIR/cluster.json describes the running cluster (proxy URL, instances with port and pid,
# schema, prefix) for tests and tools.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CLUSTER_DIR:-/tmp/copboard-cluster}"
N="${CLUSTER_INSTANCES:-2}"
DB_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
RD_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

log() { echo "local-cluster: $*" >&2; }

# node with the server's dependencies (pg, ioredis) resolvable
server_node() { (cd "$ROOT/apps/server" && node "$@"); }

free_port() {
  server_node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

ensure_haproxy() {
  command -v haproxy >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's haproxy"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy) >/dev/null
  else
    log "haproxy is missing: install it (apt-get install haproxy)"
    exit 1
  fi
}

ensure_build() {
  if [ ! -f "$ROOT/apps/server/dist/main.js" ]; then
    log "building (pnpm build)"
    (cd "$ROOT" && pnpm build >&2)
  fi
}

wait_http() { # url timeout_s
  local url="$1" deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

wait_instance() { # port id timeout_s: /healthz on the port answers 200 as instance <id>
  local deadline=$((SECONDS + $3))
  until curl -fsS "http://127.0.0.1:$1/healthz" 2>/dev/null | grep -q "\"instance\":\"$2\""; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

wait_proxy_up() { # socket n timeout_s: every server of backend sync is UP in HAProxy's own view
  SOCK="$1" N_UP="$2" DEADLINE_MS="$(($3 * 1000))" server_node -e "
    const net = require('net'), end = Date.now() + Number(process.env.DEADLINE_MS)
    const stat = () => new Promise((resolve) => {
      let out = ''
      const s = net.createConnection(process.env.SOCK, () => s.end('show stat\\n'))
      s.on('data', (d) => (out += d)); s.on('close', () => resolve(out)); s.on('error', () => resolve(''))
    })
    ;(async () => {
      for (;;) {
        const up = (await stat()).split('\\n').map((l) => l.split(',')).filter((f) => f[0] === 'sync' && f[1] !== 'BACKEND' && f[1] !== 'FRONTEND' && f[17] === 'UP')
        if (up.length >= Number(process.env.N_UP)) return
        if (Date.now() > end) process.exit(1)
        await new Promise((r) => setTimeout(r, 200))
      }
    })()
  "
}

start() {
  if [ -f "$DIR/cluster.json" ]; then
    log "already running ($DIR/cluster.json); stop it first"
    exit 1
  fi
  ensure_haproxy
  ensure_build
  mkdir -p "$DIR"
  local tag schema prefix proxy_port
  tag="$(server_node -e "console.log(require('crypto').randomBytes(5).toString('hex'))")"
  schema="copboard_cluster_$tag"
  prefix="copboard:cluster:$tag:"
  proxy_port="$(free_port)"
  local sync_servers="" web_servers="" instances_json="" i id port pid
  for i in $(seq 1 "$N"); do
    id="$(printf "\\x$(printf %x $((96 + i)))")" # a, b, c …
    port="$(free_port)"
    HOST=127.0.0.1 PORT="$port" INSTANCE_ID="$id" \
      DATABASE_URL="$DB_URL" DATABASE_SCHEMA="$schema" DATABASE_POOL_SIZE="${DATABASE_POOL_SIZE:-4}" \
      REDIS_URL="$RD_URL" REDIS_PREFIX="$prefix" LOG_LEVEL="${LOG_LEVEL:-info}" TRUST_PROXY=127.0.0.1 \
      nohup node --max-semi-space-size=8 --no-allocation-site-pretenuring "$ROOT/apps/server/dist/main.js" >"$DIR/$id.log" 2>&1 &
    pid=$!
    echo "$pid" >"$DIR/$id.pid"
    sync_servers+="    server $id 127.0.0.1:$port check"$'\n'
    web_servers+="    server $id 127.0.0.1:$port check"$'\n'
    instances_json+="${instances_json:+,}{\"id\":\"$id\",\"port\":$port,\"pid\":$pid,\"url\":\"http://127.0.0.1:$port\",\"log\":\"$DIR/$id.log\"}"
  done
  # the operator's config with this machine's bind address and servers
  awk -v bind="    bind 127.0.0.1:$proxy_port" -v sync="$sync_servers" -v web="$web_servers" -v sock="$DIR/haproxy.sock" '
    /^global/ { print; print "    stats socket " sock " mode 600 level user"; next }
    /^    bind / { print bind; next }
    /^    # @servers sync/ { printf "%s", sync; skip = 1; next }
    /^    # @servers web/ { printf "%s", web; skip = 1; next }
    skip && /^    server / { next }
    { skip = 0; print }
  ' "$ROOT/infra/haproxy/haproxy.cfg" |
    # no syslog here, and a connection limit that fits an ordinary ulimit
    sed -e '/^    log /d' -e '/^    option httplog/d' -e 's/^    maxconn 20000$/    maxconn 4000/' >"$DIR/haproxy.cfg"
  haproxy -c -q -f "$DIR/haproxy.cfg" >&2 || { stop; exit 1; }
  haproxy -D -f "$DIR/haproxy.cfg" -p "$DIR/haproxy.pid" || { stop; exit 1; }
  cat >"$DIR/cluster.json" <<JSON
{"proxyUrl":"http://127.0.0.1:$proxy_port","proxyPid":$(cat "$DIR/haproxy.pid" | head -1),"schema":"$schema","redisPrefix":"$prefix","databaseUrl":"$DB_URL","redisUrl":"$RD_URL","instances":[$instances_json]}
JSON
  # each port answers as its own instance (a port taken by another process between free_port and
  # the instance's bind would otherwise pass the check), then HAProxy sees every server UP
  for i in $(seq 1 "$N"); do
    id="$(printf "\\x$(printf %x $((96 + i)))")"
    port="$(server_node -e "console.log(require('$DIR/cluster.json').instances[$((i - 1))].port)")"
    if ! wait_instance "$port" "$id" 30; then
      log "instance $id did not become healthy on port $port; its log:"
      tail -20 "$DIR/$id.log" >&2
      stop
      exit 1
    fi
  done
  wait_proxy_up "$DIR/haproxy.sock" "$N" 15 || { log "proxy does not see every instance up"; stop; exit 1; }
  wait_http "http://127.0.0.1:$proxy_port/healthz" 15 || { log "proxy not ready"; stop; exit 1; }
  log "$N instances (schema $schema, Redis prefix $prefix), logs in $DIR"
  echo "http://127.0.0.1:$proxy_port"
}

stop() {
  [ -d "$DIR" ] || { log "not running"; return 0; }
  local f pid
  for f in "$DIR"/*.pid; do
    [ -f "$f" ] || continue
    pid="$(head -1 "$f")"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$DIR"/*.pid; do
    [ -f "$f" ] || continue
    pid="$(head -1 "$f")"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$DIR/cluster.json" ]; then
    # remove exactly this run's schema and keys (never anything shared)
    CLUSTER_JSON="$DIR/cluster.json" server_node -e "
      const c = require(process.env.CLUSTER_JSON)
      const pg = require('pg'); const { Redis } = require('ioredis')
      ;(async () => {
        const db = new pg.Client({ connectionString: c.databaseUrl }); await db.connect()
        await db.query('DROP SCHEMA IF EXISTS ' + c.schema + ' CASCADE'); await db.end()
        const r = new Redis(c.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1 })
        try { await r.connect(); let cursor = '0'
          do { const [next, keys] = await r.scan(cursor, 'MATCH', c.redisPrefix + '*', 'COUNT', 500); cursor = next; if (keys.length) await r.del(...keys) } while (cursor !== '0')
        } catch {} finally { r.disconnect() }
      })().catch((e) => { console.error('local-cluster: cleanup: ' + e.message); process.exitCode = 1 })
    " || true
    rm -f "$DIR/cluster.json"
  fi
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
