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

printf '\n==> Starting processes\n'
start web node --import @poppinss/ts-exec bin/server.ts
start worker node ace queue:work

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null 2>&1 && break
  sleep 0.5
done

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

 Logs below are JSON lines (pipe through pino-pretty to read them). Ctrl-C stops all.
==========================================================================

BANNER

# Exit (and stop the rest) as soon as any process ends.
wait -n "${pids[@]}"
echo "==> A process exited; stopping the others"
