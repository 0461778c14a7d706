#!/usr/bin/env bash
# Runs the whole product in the foreground: web, worker (and voip-edge with rtpengine once
# configured). Ctrl-C or SIGTERM stops every process; if one dies, the others are stopped
# too so the operator notices instead of running half a PBX.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
export NODE_ENV=production

env_get() { grep -E "^$1=" .env | tail -n1 | cut -d= -f2- || true; }
# An explicit PORT in the environment wins over .env (as it does for the app itself).
PORT="${PORT:-$(env_get PORT)}"; PORT="${PORT:-3333}"
export PORT
APP_URL="$(env_get APP_URL)"
[ "$PORT" = "$(env_get PORT)" ] && [ -n "$APP_URL" ] || APP_URL="http://localhost:$PORT"

printf '\n==> Building the web app assets\n'
if [ ! -f public/assets/.vite/manifest.json ] || [ -n "$(find resources -newer public/assets/.vite/manifest.json -print -quit)" ]; then
  vite build --logLevel warn
else
  echo "    up to date"
fi

printf '\n==> Self-test\n'
node ace doctor --startup || { echo "Fix the problems above, then run npm start again."; exit 1; }

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "==> Stopping"
  echo "    (voip-edge lets calls in progress finish, up to 30 s; Ctrl-C again to stop at once)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop_all INT TERM EXIT

start() {
  local name="$1"; shift
  "$@" &
  pids+=("$!")
  echo "    started $name (pid $!)"
}

# Media and SIP. Ports can be overridden from the environment (the smoke test does).
RTPENGINE_NG_PORT="${RTPENGINE_NG_PORT:-$(env_get RTPENGINE_NG_PORT)}"; RTPENGINE_NG_PORT="${RTPENGINE_NG_PORT:-22222}"
RTP_PORT_MIN="${RTP_PORT_MIN:-30000}"; RTP_PORT_MAX="${RTP_PORT_MAX:-30999}"
RTP_INTERFACE="${RTP_INTERFACE:-127.0.0.1}"
# CXML media: rtpengine reports DTMF to the edge (Gather) and records pcaps the edge reads (Record).
export VOIP_EDGE_DTMF_LISTEN="${VOIP_EDGE_DTMF_LISTEN:-127.0.0.1:22299}"
export VOIP_EDGE_RECORDING_DIR="${VOIP_EDGE_RECORDING_DIR:-$PWD/tmp/rtpengine-recordings}"
export VOIP_EDGE_MEDIA_CACHE_DIR="${VOIP_EDGE_MEDIA_CACHE_DIR:-$PWD/tmp/voip-edge-media}"
export VOIP_EDGE_SIP_PORT="${VOIP_EDGE_SIP_PORT:-$(env_get VOIP_EDGE_SIP_PORT)}"; VOIP_EDGE_SIP_PORT="${VOIP_EDGE_SIP_PORT:-5060}"
export VOIP_EDGE_CONTROL_PORT="${VOIP_EDGE_CONTROL_PORT:-$(env_get VOIP_EDGE_CONTROL_PORT)}"; VOIP_EDGE_CONTROL_PORT="${VOIP_EDGE_CONTROL_PORT:-5099}"
export VOIP_EDGE_SIGNING_SECRET="${VOIP_EDGE_SIGNING_SECRET:-$(env_get VOIP_EDGE_SIGNING_SECRET)}"
export VOIP_EDGE_CONTROL_URL="http://127.0.0.1:${VOIP_EDGE_CONTROL_PORT}"
# The app reads the edge's registrations (dashboard, "My phone" devices) under this prefix.
export VOIP_EDGE_REDIS_PREFIX="${VOIP_EDGE_REDIS_PREFIX:-voip-edge-demo:}"
mkdir -p tmp "$VOIP_EDGE_RECORDING_DIR"

printf '\n==> Starting processes\n'
start rtpengine rtpengine --config-file=none --table=-1 --interface="$RTP_INTERFACE" \
  --listen-ng="127.0.0.1:${RTPENGINE_NG_PORT}" --foreground --log-stderr --log-level=5 \
  --port-min="$RTP_PORT_MIN" --port-max="$RTP_PORT_MAX" --delete-delay=0 \
  --dtmf-log-dest="$VOIP_EDGE_DTMF_LISTEN" --recording-dir="$VOIP_EDGE_RECORDING_DIR" \
  --recording-method=pcap 2>>tmp/rtpengine.log
# The edge asks the app (all signed) for each tenant's SIP realm and extension passwords,
# for the CXML of every call (/api/voice/route), and posts session updates and CDRs back
# (the CDRs through an on-disk spool). MD5 digest: see voip-edge/README.md.
mkdir -p tmp/cdr-spool
(
  cd voip-edge
  VOIP_EDGE_ROUTER="${VOIP_EDGE_ROUTER:-http}" VOIP_EDGE_DIGEST_ALGORITHMS=MD5 VOIP_EDGE_REDIS_PREFIX="$VOIP_EDGE_REDIS_PREFIX" \
    VOIP_EDGE_SESSION_UPDATES=true VOIP_EDGE_CDR_SPOOL_DIR=../tmp/cdr-spool \
    VOIP_EDGE_RTPENGINE_NG="127.0.0.1:${RTPENGINE_NG_PORT}" VOIP_EDGE_APP_BASE_URL="http://127.0.0.1:${PORT}" \
    exec node bin/voip_edge.ts >>../tmp/voip-edge.log 2>&1
) &
pids+=("$!")
echo "    started voip-edge (pid $!, logs in tmp/voip-edge.log)"
start web node --import @poppinss/ts-exec bin/server.ts
start worker node ace queue:work

healthy=0
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null 2>&1 && healthy=1 && break
  sleep 0.5
done
# The banner follows either way (the processes are up); say so when the app is not healthy.
[ "$healthy" = 1 ] || printf '\n    WARNING: /health did not answer OK within 30 s: %s\n' \
  "$(curl -sS "http://127.0.0.1:${PORT}/health" 2>&1 | head -c 300)"

cat <<BANNER

==========================================================================
 OPBX is running
   Web app        ${APP_URL}/login
   Support        ${APP_URL}/support/login
   Health         ${APP_URL}/health
   API            ${APP_URL}/api/v1   (POST /api/v1/auth/login for a token)

 Demo accounts (password for all: Demo-pass-2026)
   Acme Telecom   owner@acme.test  admin@acme.test  user@acme.test  reporter@acme.test
   Globex Corp    owner@globex.test admin@globex.test user@globex.test reporter@globex.test
   Support staff  support@opbx.test

 SIP (voip-edge, the demo organizations' extensions, UDP/TCP port ${VOIP_EDGE_SIP_PORT}, MD5 digest)
   acme.pbx.localhost     1001 / demo-1001-change-me   1002 / demo-1002-change-me
   globex.pbx.localhost   2001 / demo-2001-change-me
   e.g. baresip: <sip:1001@acme.pbx.localhost>;auth_pass=demo-1001-change-me;outbound="sip:127.0.0.1:${VOIP_EDGE_SIP_PORT}"
   then dial 1002 from the other phone. Media through rtpengine on ${RTP_INTERFACE}.

 Logs below are JSON lines (pipe through pino-pretty to read them). Ctrl-C stops all.
==========================================================================

BANNER

# Exit (and stop the rest) as soon as any process ends.
wait -n "${pids[@]}"
echo "==> A process exited; stopping the others"
