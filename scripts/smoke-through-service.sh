#!/usr/bin/env bash
# The smoke suite (npm run smoke, src/smoke) against one Service of a release, through
# `kubectl port-forward`: blue-green-switch.sh runs it against the preview Service (the colour about
# to take traffic), canary-step.sh against the canary Service, before they move any traffic.
#
#   scripts/smoke-through-service.sh -n tickettoken-prod service/compliance-service-preview
#
# Needs a built checkout (dist/smoke/smoke.cli.js) and SMOKE_TOKEN, a token for the smoke tenant
# (SMOKE_TENANT_ID) from the identity provider; the table goes to stdout.
# Exit: the smoke suite's (0 passed, 1 a check failed, 2 cannot run), 3 no port-forward, 64 usage.
set -euo pipefail
cd "$(dirname "$0")/.."

KUBECTL="${KUBECTL:-kubectl}"
read -ra SMOKE <<<"${SMOKE:-node dist/smoke/smoke.cli.js}"
SERVICE_PORT=3008

namespace=""; service=""
while (($#)); do
  case "$1" in
    -n|--namespace) namespace="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    service/*) service="$1"; shift ;;
    *) echo "smoke-through-service: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
[[ -n "$namespace" && -n "$service" ]] || { echo "smoke-through-service: give -n NAMESPACE and service/NAME" >&2; exit 64; }

# A free local port chosen by kubectl (":3008"), read from its "Forwarding from" line.
forward_log="$(mktemp)"
"$KUBECTL" port-forward --namespace "$namespace" "$service" ":$SERVICE_PORT" >"$forward_log" 2>&1 &
forward_pid=$!
trap 'kill "$forward_pid" 2>/dev/null || true; rm -f "$forward_log"' EXIT
port=""
for _ in $(seq 1 100); do
  port="$(grep -o -m1 'Forwarding from 127\.0\.0\.1:[0-9]*' "$forward_log" | cut -d: -f2 || true)"
  [[ -n "$port" ]] && break
  kill -0 "$forward_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "smoke-through-service: no port-forward to $service in $namespace: $(cat "$forward_log")" >&2
  exit 3
fi
"${SMOKE[@]}" --base-url "http://127.0.0.1:$port"
