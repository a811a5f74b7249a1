#!/usr/bin/env bash
# Blue-green switch and switch-back (docs/RUNBOOK.md "Blue-green switch"). The chart runs
# <fullname>-blue and <fullname>-green; Service <fullname> selects the active colour and
# <fullname>-preview the other. Switching changes only the Service selectors, so it is instant
# and the switch-back is the same command with the other colour.
#
#   scripts/blue-green-switch.sh -n tickettoken-prod --to green        # switch (or switch back)
#   scripts/blue-green-switch.sh -n tickettoken-prod --scale-down blue # after the 24 h rollback window
#
# Before switching, the target colour must be fully rolled out (kubectl rollout status) and pass the
# smoke suite through the preview Service (scripts/smoke-through-service.sh; needs SMOKE_TOKEN and a
# built checkout); otherwise nothing changes.
# Options: --release NAME (compliance-service), --dry-run (print the commands that change things).
# Exit: 0 switched (or already active), 1 refused (target not ready, smoke suite failed), 64 usage.
set -euo pipefail
cd "$(dirname "$0")/.."

HELM="${HELM:-helm}"
KUBECTL="${KUBECTL:-kubectl}"
CHART=./helm/compliance-service

namespace=""; release=compliance-service; to=""; scale_down=""; dry_run=false
while (($#)); do
  case "$1" in
    -n|--namespace) namespace="$2"; shift 2 ;;
    --release) release="$2"; shift 2 ;;
    --to) to="$2"; shift 2 ;;
    --scale-down) scale_down="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "blue-green-switch: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
log() { printf 'blue-green-switch: %s\n' "$*" >&2; }
[[ -n "$namespace" ]] || { log "--namespace is required"; exit 64; }
colour="${to:-$scale_down}"
[[ "$colour" == blue || "$colour" == green ]] || { log "give --to blue|green or --scale-down blue|green"; exit 64; }

# Object names as the chart makes them (templates/_helpers.tpl cs.fullname).
if [[ "$release" == *compliance-service* ]]; then fullname="$release"; else fullname="$release-compliance-service"; fi
upgrade() {
  local command=("$HELM" upgrade "$release" "$CHART" --namespace "$namespace" --reuse-values "$@" --wait --timeout 10m)
  log "${command[*]}"
  $dry_run || "${command[@]}"
}
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log(String(($1)??''))})"; }

values="$("$HELM" get values "$release" --namespace "$namespace" --all --output json)"
active="$(json 'v.activeColor' <<<"$values")"
[[ "$active" == blue || "$active" == green ]] || {
  log "$release in $namespace is not in blue-green mode (activeColor is empty); see RUNBOOK \"Blue-green switch\""
  exit 64
}

if [[ -n "$scale_down" ]]; then
  [[ "$scale_down" != "$active" ]] || { log "$scale_down is the active colour; switch first"; exit 1; }
  upgrade --set "blueGreen.$scale_down.scaledDown=true"
  log "$fullname-$scale_down scaled to 0 (bring it back with --set blueGreen.$scale_down.scaledDown=false)"
  exit 0
fi

if [[ "$to" == "$active" ]]; then
  log "$to is already active; nothing to do"
  exit 0
fi
if [[ "$(json "v.blueGreen&&v.blueGreen['$to']&&v.blueGreen['$to'].scaledDown" <<<"$values")" == true ]]; then
  log "$to is scaled down; first: helm upgrade $release $CHART -n $namespace --reuse-values --set blueGreen.$to.scaledDown=false --wait"
  exit 1
fi

target="deployment/$fullname-$to"
log "checking $target is fully rolled out"
"$KUBECTL" rollout status "$target" --namespace "$namespace" --timeout 5m \
  || { log "$target is not ready; traffic stays on $active"; exit 1; }
# The preview Service selects the colour that is not active: the one about to take traffic.
log "smoke suite against $to through service/$fullname-preview"
scripts/smoke-through-service.sh --namespace "$namespace" "service/$fullname-preview" >&2 \
  || { log "$to fails the smoke suite (above); traffic stays on $active"; exit 1; }

upgrade --set "activeColor=$to"
if ! $dry_run; then
  selected="$("$KUBECTL" get service "$fullname" --namespace "$namespace" -o 'jsonpath={.spec.selector.color}')"
  [[ "$selected" == "$to" ]] || { log "Service $fullname selects '$selected', expected $to"; exit 1; }
fi
log "switched: $to serves $fullname; $active is on $fullname-preview"
log "switch back: scripts/blue-green-switch.sh -n $namespace --to $active"
log "after the 24 h rollback window: scripts/blue-green-switch.sh -n $namespace --scale-down $active"
