#!/usr/bin/env bash
# Moves a canary release one phase on, behind a health gate (docs/RUNBOOK.md "Canary phases").
#
# Phases (deployment guide): 5% -> 25% after 30 min at 5% -> 50% after 1 h at 25% -> 100% after
# 2 h at 50% -> promote (the stable Deployment takes the canary's version; the canary goes away)
# after 15 min at 100%. Before any move the canary must be healthy in Prometheus over the last
# --window: error rate (5xx share) below 1% and p99 latency below 500 ms, the guide's thresholds.
# Above either threshold the canary is rolled back (all traffic to stable) and the script exits 1.
# Then the smoke suite runs against the canary Service (scripts/smoke-through-service.sh; needs
# SMOKE_TOKEN and a built checkout): a failed check rolls back too.
#
#   scripts/canary-step.sh -n tickettoken-prod --start 1.4.0    # canary.enabled, weight 5, tag 1.4.0
#   scripts/canary-step.sh -n tickettoken-prod                  # next phase (or promote at 100)
#   scripts/canary-step.sh -n tickettoken-prod --abort          # roll back now, no gate
#
# Options: --release NAME (compliance-service), --values FILE (helm/compliance-service/values-production.yaml
# with --start), --prometheus URL ($PROMETHEUS_URL or http://127.0.0.1:9090, e.g. through
# `kubectl -n monitoring port-forward svc/prometheus 9090`), --window 10m, --allow-early (skip the
# soak time; the health gate still applies), --dry-run (print the helm commands, change nothing).
# Exit: 0 moved on, 1 rolled back, 2 too early, 3 cannot judge (no canary traffic, Prometheus down,
# or the smoke suite cannot run).
set -euo pipefail
cd "$(dirname "$0")/.."

HELM="${HELM:-helm}"
CHART=./helm/compliance-service
PHASES=(5 25 50 100)
# Minutes a phase must have run before the next one: the guide's 30 min, 1 h, 2 h; 15 min at 100%.
declare -A SOAK_MINUTES=([5]=30 [25]=60 [50]=120 [100]=15)
MAX_ERROR_RATE=0.01
MAX_P99_SECONDS=0.5

namespace=""; release=compliance-service; values=""; start_version=""; abort=false
prometheus="${PROMETHEUS_URL:-http://127.0.0.1:9090}"; window=10m; allow_early=false; dry_run=false
while (($#)); do
  case "$1" in
    -n|--namespace) namespace="$2"; shift 2 ;;
    --release) release="$2"; shift 2 ;;
    --values) values="$2"; shift 2 ;;
    --start) start_version="$2"; shift 2 ;;
    --abort) abort=true; shift ;;
    --prometheus) prometheus="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --allow-early) allow_early=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "canary-step: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
[[ -n "$namespace" ]] || { echo "canary-step: --namespace is required" >&2; exit 64; }

log() { printf 'canary-step: %s\n' "$*" >&2; }
upgrade() {
  local command=("$HELM" upgrade "$release" "$CHART" --namespace "$namespace" "$@" --wait --timeout 10m)
  log "${command[*]}"
  $dry_run || "${command[@]}"
}
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log(String(($1)??''))})"; }

rollback() {
  log "ROLLBACK: $1"
  upgrade --reuse-values --set canary.enabled=false --set canary.weight=0
  log "rolled back: all traffic on the stable Deployment. Investigate before the next attempt (RUNBOOK: Application rollback)."
}

if [[ -n "$start_version" ]]; then
  log "starting canary $start_version at ${PHASES[0]}%"
  upgrade ${values:+--values "$values"} --reuse-values --set canary.enabled=true \
    --set "canary.weight=${PHASES[0]}" --set "canary.image.tag=$start_version"
  exit 0
fi

current="$("$HELM" get values "$release" --namespace "$namespace" --all --output json)"
enabled="$(json 'v.canary&&v.canary.enabled' <<<"$current")"
weight="$(json 'v.canary&&v.canary.weight' <<<"$current")"
tag="$(json '(v.canary&&v.canary.image&&v.canary.image.tag)||(v.image&&v.image.tag)' <<<"$current")"
[[ "$enabled" == true ]] || { log "no canary running in $namespace (start one with --start VERSION)"; exit 64; }

if $abort; then rollback "aborted by the operator"; exit 1; fi

# Soak: how long the current weight has been live, from the release's last deployment.
updated="$("$HELM" history "$release" --namespace "$namespace" --max 1 --output json | json 'v[v.length-1].updated')"
minutes=$(( ($(date +%s) - $(date -d "$updated" +%s)) / 60 ))
required="${SOAK_MINUTES[$weight]:-0}"
if (( minutes < required )) && ! $allow_early; then
  log "canary at ${weight}% for ${minutes} min; the guide wants ${required} min before the next phase"
  exit 2
fi

# Health gate: the canary pods only (Prometheus keeps pod labels, so track="canary" selects them).
selector="namespace=\"$namespace\",track=\"canary\""
query() {
  local result
  result="$(curl -fsS --max-time 10 "$prometheus/api/v1/query" --data-urlencode "query=$1")" \
    || { log "cannot query Prometheus at $prometheus"; exit 3; }
  json "v.data.result.length?v.data.result[0].value[1]:''" <<<"$result"
}
requests="$(query "sum(rate(http_requests_total{$selector}[$window]))")"
if [[ -z "$requests" || "$requests" == 0 ]]; then
  log "no canary traffic in the last $window: cannot judge its health, not moving on"
  exit 3
fi
error_rate="$(query "sum(rate(http_requests_total{$selector,status_code=~\"5..\"}[$window])) / sum(rate(http_requests_total{$selector}[$window]))")"
p99="$(query "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))")"
error_rate="${error_rate:-0}"
log "canary $tag at ${weight}%: ${requests} req/s, error rate ${error_rate}, p99 ${p99:-n/a} s (limits ${MAX_ERROR_RATE}, ${MAX_P99_SECONDS} s)"
if node -e "process.exit(Number(process.argv[1]) >= Number(process.argv[2]) ? 0 : 1)" "$error_rate" "$MAX_ERROR_RATE"; then
  rollback "error rate $error_rate is at or above $MAX_ERROR_RATE"; exit 1
fi
if [[ -n "$p99" ]] && node -e "const p=Number(process.argv[1]);process.exit(Number.isNaN(p)||p>=Number(process.argv[2])?0:1)" "$p99" "$MAX_P99_SECONDS"; then
  rollback "p99 latency $p99 s is at or above $MAX_P99_SECONDS s"; exit 1
fi

# Smoke suite against the canary pods only (Service <fullname>-canary selects track=canary).
if [[ "$release" == *compliance-service* ]]; then fullname="$release"; else fullname="$release-compliance-service"; fi
log "smoke suite against the canary through service/$fullname-canary"
smoke_exit=0
scripts/smoke-through-service.sh --namespace "$namespace" "service/$fullname-canary" >&2 || smoke_exit=$?
if (( smoke_exit == 1 )); then rollback "the canary fails the smoke suite (above)"; exit 1; fi
if (( smoke_exit != 0 )); then log "cannot run the smoke suite against the canary (exit $smoke_exit): not moving on"; exit 3; fi

if [[ "$weight" == 100 ]]; then
  # Promote in two steps, so no request lands on a Deployment that is mid-rollout: the stable
  # Deployment rolls to the canary's version while the canary still takes all traffic, then the
  # canary is removed.
  log "promoting $tag: stable Deployment first, then removing the canary"
  upgrade --reuse-values --set "image.tag=$tag"
  upgrade --reuse-values --set canary.enabled=false --set canary.weight=0 --set canary.image.tag=
  log "promoted: $tag serves all traffic"
  exit 0
fi

# The first phase above the current weight (a weight set by hand resumes at the next phase).
next=""
for phase in "${PHASES[@]}"; do
  if (( phase > weight )); then next="$phase"; break; fi
done
upgrade --reuse-values --set "canary.weight=$next"
log "canary $tag now at ${next}%"
