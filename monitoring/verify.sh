#!/usr/bin/env bash
# npm run monitoring:check — the monitoring artefacts against the real tools and the running service:
#   1. Prometheus 2.42 from Debian (promtool included), unpacked into .tmp/prometheus once;
#   2. static checks (monitoring/scripts/check-artefacts.ts), promtool check rules, promtool test rules;
#   3. two instances of the compiled service on 127.0.0.1: A healthy, with the OFAC test list
#      imported; B whose database is dropped after start and whose Redis port is closed (honest
#      5xx: readiness answers 503);
#   4. promtool check metrics on A's /metrics;
#   5. Prometheus scraping both every 2 s with our rules, then monitoring/scripts/live-check.ts.
# Needs PostgreSQL at TEST_DATABASE_URL (an admin URL; a database is created and dropped), Redis at
# REDIS_URL, and the compiled service in dist/ (npm run build; MONITORING_DIST overrides). Root is
# needed only the first time, for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { printf '\n--> %s (%ss)\n' "$*" "$((SECONDS - started))"; }

ADMIN_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
DIST="${MONITORING_DIST:-dist}"
PROMETHEUS_HOME=.tmp/prometheus
PROMTOOL="$PROMETHEUS_HOME/usr/bin/promtool"
BUILD=.tmp/monitoring-build
WORK=".tmp/monitoring-check-$$"
NAMESPACE=monitoring-check
RUN="monitoring_check_$(date +%s)_$$"
DB_A="compliance_${RUN}_a"
DB_B="compliance_${RUN}_b"

pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$ADMIN_URL" -q -c "DROP DATABASE IF EXISTS \"$DB_A\" WITH (FORCE)" -c "DROP DATABASE IF EXISTS \"$DB_B\" WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$code" -ne 0 ] && [ -d "$WORK" ]; then
    for log in "$WORK"/*.log; do printf '\n==> %s (last 20 lines)\n' "$log"; tail -n 20 "$log"; done
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT

step "Prometheus and promtool (Debian package, cached in $PROMETHEUS_HOME)"
if [ ! -x "$PROMTOOL" ]; then
  mkdir -p "$PROMETHEUS_HOME/deb"
  (cd "$PROMETHEUS_HOME/deb" && { apt-get download prometheus 2>/dev/null || { apt-get update -qq && apt-get download prometheus; }; })
  dpkg-deb -x "$PROMETHEUS_HOME"/deb/prometheus_*.deb "$PROMETHEUS_HOME"
fi
"$PROMTOOL" --version | head -n 1

step "Static checks of monitoring/ (type-check and compile the scripts, generated files, runbook links, test coverage)"
npx tsc -p monitoring/tsconfig.json
node "$BUILD/scripts/check-artefacts.js"

step "promtool check rules, promtool test rules"
"$PROMTOOL" check rules monitoring/prometheus/compliance-service.rules.yaml
"$PROMTOOL" test rules monitoring/prometheus/compliance-service.rules.test.yaml monitoring/prometheus/dashboard.test.yaml

step "Two service instances on 127.0.0.1 ($DIST): A healthy, B without database and Redis"
[ -f "$DIST/index.js" ] || { echo "$DIST/index.js is missing: run npm run build first" >&2; exit 1; }
mkdir -p "$WORK"
read -r PORT_A PORT_B PORT_PROMETHEUS PORT_DEAD_REDIS < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((resolve) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
  Promise.all([free(), free(), free(), free()]).then((ports) => console.log(ports.join(" ")));')
url_of() { local url="${ADMIN_URL%/*}"; echo "$url/$1"; }
psql "$ADMIN_URL" -q -c "CREATE DATABASE \"$DB_A\"" -c "CREATE DATABASE \"$DB_B\""
secret=$(node -p 'require("node:crypto").randomBytes(24).toString("hex")')
export APP_VERSION
APP_VERSION=$(node -p 'require("./package.json").version')
# Both migrated, as the init container leaves them: the app (pg-boss) refuses an unmigrated database.
for db in "$DB_A" "$DB_B"; do
  DATABASE_URL=$(url_of "$db") LOG_LEVEL=warn node "$DIST/database/migration.cli.js" run >>"$WORK/migrate.log" 2>&1
done
# A screens against a list, so the sanctions panels of the Compliance operations dashboard have data.
DATABASE_URL=$(url_of "$DB_A") LOG_LEVEL=warn node "$DIST/modules/sanctions/sanctions-import.cli.js" --dir test/fixtures/sanctions/ofac >>"$WORK/migrate.log" 2>&1
encryption_key=$(node -p 'require("node:crypto").randomBytes(32).toString("base64")')
start_service() { # name port database_url redis_url
  NODE_ENV=production HOST=127.0.0.1 PORT="$2" LOG_LEVEL=info DATABASE_URL="$3" REDIS_URL="$4" \
    REDIS_KEY_PREFIX="$RUN:" JWT_SECRET="jwt-$secret" WEBHOOK_SECRET="webhook-$secret" STRIPE_WEBHOOK_SECRET="stripe-$secret" \
    ENCRYPTION_KEY="$encryption_key" SHUTDOWN_DRAIN_MS=0 node "$DIST/index.js" >"$WORK/service-$1.log" 2>&1 &
  pids+=($!)
}
wait_for() { # url status
  for _ in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "$2" ] && return 0
    sleep 0.2
  done
  echo "$1 did not answer $2" >&2
  return 1
}
start_service a "$PORT_A" "$(url_of "$DB_A")" "$REDIS_URL"
start_service b "$PORT_B" "$(url_of "$DB_B")" "redis://127.0.0.1:$PORT_DEAD_REDIS"
wait_for "http://127.0.0.1:$PORT_A/health/ready" 200
wait_for "http://127.0.0.1:$PORT_B/health/live" 200
psql "$ADMIN_URL" -q -c "DROP DATABASE \"$DB_B\" WITH (FORCE)"
wait_for "http://127.0.0.1:$PORT_B/health/ready" 503

step "promtool check metrics on a real scrape of A"
curl -sf "http://127.0.0.1:$PORT_A/metrics" >"$WORK/scrape.txt"
grep -q '^http_request_duration_seconds_bucket{' "$WORK/scrape.txt" || { echo "the scrape has no HTTP metrics" >&2; exit 1; }
"$PROMTOOL" check metrics <"$WORK/scrape.txt"
echo "$(grep -c '^[a-z]' "$WORK/scrape.txt") samples, no lint problems"

step "Prometheus on 127.0.0.1:$PORT_PROMETHEUS scraping both every 2 s, with the rules"
cat >"$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $PWD/monitoring/prometheus/compliance-service.rules.yaml
scrape_configs:
  # As the PodMonitor scrapes in Kubernetes: job from the pods' app label, namespace and pod added.
  - job_name: compliance-service
    static_configs:
      - targets: ['127.0.0.1:$PORT_A']
        labels: { namespace: $NAMESPACE, pod: compliance-service-a, track: stable }
      - targets: ['127.0.0.1:$PORT_B']
        labels: { namespace: $NAMESPACE, pod: compliance-service-b, track: stable }
YAML
"$PROMETHEUS_HOME/usr/bin/prometheus" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PORT_PROMETHEUS" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PORT_PROMETHEUS/-/ready" 200

step "Traffic, then every dashboard expression, rule and expected alert against Prometheus"
SCREENING_TOKEN=$(NODE_ENV=development JWT_SECRET="jwt-$secret" node "$DIST/auth/token.cli.js" --role service --sub monitoring-check 2>/dev/null)
export SCREENING_TOKEN
PROMETHEUS_URL="http://127.0.0.1:$PORT_PROMETHEUS" SERVICE_A_URL="http://127.0.0.1:$PORT_A" SERVICE_B_URL="http://127.0.0.1:$PORT_B" \
  SERVICE_A_LOG="$WORK/service-a.log" NAMESPACE="$NAMESPACE" node "$BUILD/scripts/live-check.js"

step "monitoring:check passed"
