#!/usr/bin/env bash
# One script behind the README's two commands.
#   bin/setup.sh setup   install what is missing, start PostgreSQL/Redis, create databases,
#                        install npm deps, write .env, migrate
#   bin/setup.sh run     setup + seed demo data + build assets, then run web, worker,
#                        voip-edge and rtpengine in the foreground (Ctrl-C stops them all)
#   bin/setup.sh test    setup + lint + typecheck + every test suite; ends with the line
#                        "N passed, N failed"
# Every step is idempotent: running it twice changes nothing the second time.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${1:-setup}"

APT_PACKAGES=(postgresql redis-server chromium sip-tester espeak-ng sox rtpengine-daemon baresip wrk kamailio)

step() { printf '\n\033[1;34m==>\033[0m %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
  printf '\n\033[1;31mSetup failed:\033[0m %s\n' "$*" >&2
  exit 1
}
trap 'die "command failed at line $LINENO: $BASH_COMMAND"' ERR

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (run as root or install sudo)"
  fi
}

ensure_apt_packages() {
  step "System packages"
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    info "all present: ${APT_PACKAGES[*]}"
    return
  fi
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
  info "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    die "apt-get update failed (is the Debian mirror reachable?)"
  # Debian's packages try to start their services through systemd, which may not exist
  # here; a failing post-install start is harmless because we start the daemons below.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/tmp/opbx-apt.log 2>&1 ||
    die "apt-get install ${missing[*]} failed; see /tmp/opbx-apt.log"
}

# Reads one key from .env (after it exists) without sourcing the file.
env_get() {
  local key="$1" default="${2:-}" file="${3:-.env}" v
  v=$(grep -E "^${key}=" "$file" 2>/dev/null | tail -n1 | cut -d= -f2- || true)
  printf '%s' "${v:-$default}"
}

ensure_env_file() {
  step "Environment file"
  if [ ! -f .env ]; then
    cp .env.example .env
    info "created .env from .env.example"
  fi
  if [ -z "$(env_get APP_KEY)" ]; then
    local key
    key=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))')
    sed -i "s/^APP_KEY=.*/APP_KEY=${key}/" .env
    info "generated APP_KEY"
  fi
  if [ -z "$(env_get VOIP_EDGE_SIGNING_SECRET)" ]; then
    local secret
    secret=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))')
    sed -i "s/^VOIP_EDGE_SIGNING_SECRET=.*/VOIP_EDGE_SIGNING_SECRET=${secret}/" .env
    grep -q '^VOIP_EDGE_SIGNING_SECRET=' .env || echo "VOIP_EDGE_SIGNING_SECRET=${secret}" >> .env
    info "generated VOIP_EDGE_SIGNING_SECRET"
  fi
  info ".env ready"
}

ensure_postgres() {
  step "PostgreSQL"
  local host port
  host=$(env_get DB_HOST 127.0.0.1)
  port=$(env_get DB_PORT 5432)
  if ! pg_isready -q -h "$host" -p "$port" 2>/dev/null; then
    command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (apt package postgresql)"
    local ver
    ver=$(pg_lsclusters -h | awk 'NR==1{print $1}')
    [ -n "$ver" ] || die "no PostgreSQL cluster found (pg_lsclusters is empty)"
    info "starting cluster $ver/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
      as_root pg_ctlcluster "$ver" main start || die "could not start PostgreSQL $ver/main"
    for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
    pg_isready -q -h "$host" -p "$port" || die "PostgreSQL did not come up on $host:$port"
  fi
  info "running on $host:$port"

  local user pass
  user=$(env_get DB_USER opbx)
  pass=$(env_get DB_PASSWORD opbx)
  psql_admin() {
    if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
      runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"
    else
      psql -h "$host" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"
    fi
  }
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname='${user}'")" != "1" ]; then
    psql_admin -c "create role \"${user}\" login createdb password '${pass}'"
    info "created role ${user}"
  fi
  for db in "$(env_get DB_DATABASE opbx)" "$(env_get DB_DATABASE opbx_test .env.test)"; do
    if [ "$(psql_admin -c "select 1 from pg_database where datname='${db}'")" != "1" ]; then
      psql_admin -c "create database \"${db}\" owner \"${user}\""
      info "created database ${db}"
    fi
  done
  info "databases ready"
}

ensure_redis() {
  step "Redis"
  local host port
  host=$(env_get REDIS_HOST 127.0.0.1)
  port=$(env_get REDIS_PORT 6379)
  if ! redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; then
    command -v redis-server >/dev/null || die "Redis is not installed (apt package redis-server)"
    info "starting redis-server on $host:$port"
    mkdir -p "$ROOT/tmp"
    redis-server --daemonize yes --bind "$host" --port "$port" --save '' --appendonly no \
      --dir "$ROOT/tmp" --logfile "$ROOT/tmp/redis.log" || die "redis-server failed to start"
    for _ in $(seq 1 20); do redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
    redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 || die "Redis did not answer on $host:$port"
  fi
  info "running on $host:$port"
}

ensure_node_modules() {
  step "npm dependencies"
  # Install when node_modules is missing or older than the lockfile.
  if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
  local v
  v=$(node --version)
  case "$v" in v24.*) info "node $v (pinned by the 'node' devDependency)" ;; *) die "expected Node 24 from node_modules/.bin, got $v" ;; esac
}

migrate() {
  step "Database migrations"
  node ace migration:run --force
}

# The app imports files generated under .adonisjs/ (Bouncer's policy index, Inertia's page
# types); they are gitignored, so a fresh clone has none until something writes them.
codegen() {
  step "Generated files (.adonisjs)"
  node ace codegen >/dev/null || die "node ace codegen failed"
  info "policy index and page/route types written"
}

setup() {
  ensure_apt_packages
  ensure_node_modules
  ensure_env_file
  codegen
  ensure_postgres
  ensure_redis
  migrate
}

run_tests() {
  local results="$ROOT/tmp/test-results"
  rm -rf "$results" && mkdir -p "$results"
  export TEST_RESULTS_DIR="$results"
  local failed_checks=0

  step "Lint"
  npx eslint . || failed_checks=$((failed_checks + 1))
  step "Format"
  npx prettier --check . --log-level warn || failed_checks=$((failed_checks + 1))
  step "Typecheck (server, client, voip-edge)"
  npm run --silent typecheck || failed_checks=$((failed_checks + 1))
  step "App test suites"
  node ace test || true
  step "voip-edge test suites"
  (cd voip-edge && node bin/test.ts) || true
  step "Component tests (Vitest, jsdom)"
  npm run --silent test:components || true

  node "$ROOT/bin/test_summary.mjs" "$results" "$failed_checks" app voip-edge components
}

case "$MODE" in
  setup) setup ;;
  test)
    setup
    trap - ERR
    run_tests
    ;;
  run)
    setup
    step "Demo data"
    # Secrets in the database are encrypted with APP_KEY: a new .env (fresh clone, deleted
    # .env) next to a database seeded earlier cannot read them.
    node ace db:seed || die "seeding the demo data failed (see above). If a stored secret could not be decrypted, .env's APP_KEY is not the one database '$(env_get DB_DATABASE opbx)' was written with: put the earlier .env's APP_KEY back, or start over with an empty database (runuser -u postgres -- dropdb $(env_get DB_DATABASE opbx)) and run npm start again."
    exec bash "$ROOT/bin/run_all.sh"
    ;;
  *) die "unknown mode '$MODE' (use setup, run or test)" ;;
esac
