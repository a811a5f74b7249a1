#!/usr/bin/env bash
# Builds the Dockerfile and runs the image the way Kubernetes will (npm run ci:container):
#   1. the same image runs `npm run migration:run` against a fresh test database (init container)
#   2. the service container, with the pods' restrictions (read-only root, writable /tmp only, all
#      capabilities dropped, no privilege escalation), serves /health/live and /health/ready,
#      its HEALTHCHECK passes, and it runs as uid 1000, not root
#   3. the smoke suite (npm run smoke, from the image) passes against it, the OFAC fixture imported
#   4. SIGTERM reaches node: readiness turns 503 at once, the process exits 0 within the grace period
# Offline: the base is a stand-in built from this machine's Node LTS (no registry pull); `npm ci`
# inside the build reaches the npm registry through the host network. Builds the committed tree
# (git archive HEAD), never uncommitted files. Needs root (CI runs as root).
# Env: ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
#      REDIS_URL (default redis://127.0.0.1:6379).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

admin_url="${ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
grace_seconds=30            # terminationGracePeriodSeconds in the chart
drain_ms=2000               # shorter than the default 5000 to keep CI quick; the behaviour is the same
started=$SECONDS
check_started=$SECONDS
check() { printf '\n--> %s\n' "$*"; check_started=$SECONDS; }
passed() { printf '    ok: %s (%ss)\n' "$*" "$((SECONDS - check_started))"; }
fail() { printf '    FAILED: %s\n' "$*" >&2; exit 1; }

check "container tools (buildah, podman, runc)"
if ! command -v buildah >/dev/null || ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah podman runc >/dev/null
fi
passed "buildah $(buildah --version | awk '{print $3}'), podman $(podman --version | awk '{print $3}')"

# Our own storage and engine settings, so the host's defaults do not matter: vfs storage (no
# overlay in this sandbox), runc (crun fails on these hybrid cgroups), no systemd.
state="${CONTAINER_STATE_DIR:-/var/lib/compliance-ci}"
mkdir -p "$state"
cat > "$state/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$state/storage"
runroot = "/run/compliance-ci/storage"
CONF
cat > "$state/containers.conf" <<'CONF'
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_STORAGE_CONF="$state/storage.conf" CONTAINERS_CONF="$state/containers.conf" BUILDAH_RUNTIME=runc

suffix="$(date +%s)$$"
image="localhost/compliance-service:ci-$suffix"
database="compliance_test_container_$suffix"
context="$(mktemp -d /var/tmp/compliance-build.XXXXXX)"
containers=()
podman_log="$state/podman-$suffix.log"

cleanup() {
  local container
  for container in "${containers[@]}"; do podman rm -f "$container" >>"$podman_log" 2>&1 || true; done
  podman rmi -f "$image" >>"$podman_log" 2>&1 || true
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$context" "$podman_log"
}
trap cleanup EXIT

# Waits for a detached container to exit (a foreground `podman run`/`wait` costs ~20 s here).
wait_exit() {
  local container="$1" timeout="$2" deadline=$((SECONDS + $2))
  while [[ "$(podman inspect "$container" --format '{{.State.Status}}')" == running ]]; do
    (( SECONDS < deadline )) || fail "$container still running after ${timeout}s"
    sleep 0.2
  done
  podman inspect "$container" --format '{{.State.ExitCode}}'
}

# The restrictions the Deployment sets (securityContext, emptyDir on /tmp).
run_restricted() {
  local name="$1"; shift
  containers+=("$name")
  podman run -d --name "$name" --network host --health-interval=disable \
    --read-only --tmpfs /tmp:rw,size=64m --cap-drop ALL --security-opt no-new-privileges \
    --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 "$@" >>"$podman_log" 2>&1 \
    || { cat "$podman_log" >&2; fail "podman run $name"; }
}

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }

check "stand-in base image from this machine's Node LTS"
node_bin="$(scripts/node-lts.sh)"
scripts/container-standin.sh "$node_bin"
base="localhost/node-standin:$("$node_bin/node" -p 'process.versions.node.split(".")[0]')"
passed "$base"

check "buildah build (committed tree, NODE_IMAGE=$base)"
git archive --format=tar HEAD | tar -x -C "$context"
if ! buildah build --pull=never --network host --format docker --layers=false \
    --build-arg "NODE_IMAGE=$base" -t "$image" "$context" >"$state/build-$suffix.log" 2>&1; then
  tail -40 "$state/build-$suffix.log" >&2; rm -f "$state/build-$suffix.log"; fail "image build"
fi
rm -f "$state/build-$suffix.log"
[[ "$(podman image inspect "$image" --format '{{.Config.User}}')" == 1000:1000 ]] || fail "image USER is not 1000:1000"
passed "$image, $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%d MB", $1/1e6}')"

check "init container: npm run migration:run in the image"
psql "$admin_url" -qc "CREATE DATABASE $database" >/dev/null
database_url="$(node -e 'const u=new URL(process.argv[1]);u.pathname="/"+process.argv[2];console.log(u.href)' "$admin_url" "$database")"
run_restricted "migrate-$suffix" -e "DATABASE_URL=$database_url" "$image" npm run migration:run
code="$(wait_exit "migrate-$suffix" 120)"
[[ "$code" == 0 ]] || { podman logs "migrate-$suffix" >&2; fail "migration:run exited $code"; }
applied="$(psql "$database_url" -tAc 'SELECT count(*) FROM migrations')"
expected="$(find migrations -name '*.ts' -not -name '*.d.ts' | wc -l)"
[[ "$applied" == "$expected" ]] || fail "migrations table has $applied rows, expected $expected"
passed "$applied migrations applied, exit 0"

check "npm run sanctions:import in the image (the OFAC fixture, for the smoke suite's MATCH)"
run_restricted "import-$suffix" -v "$root/test/fixtures/sanctions/ofac:/lists/ofac:ro" -e "DATABASE_URL=$database_url" \
  "$image" npm run sanctions:import -- --dir /lists/ofac
code="$(wait_exit "import-$suffix" 120)"
[[ "$code" == 0 ]] || { podman logs "import-$suffix" >&2; fail "sanctions:import exited $code"; }
passed "list imported, exit 0"

check "service container: /health/live, /health/ready, HEALTHCHECK, non-root"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
secret() { node -p 'require("crypto").randomBytes(36).toString("base64url")'; }
jwt_secret="$(secret)"
run_restricted "app-$suffix" -e NODE_ENV=production -e "PORT=$port" -e "DATABASE_URL=$database_url" \
  -e "REDIS_URL=$redis_url" -e "JWT_SECRET=$jwt_secret" -e "WEBHOOK_SECRET=$(secret)" \
  -e "STRIPE_WEBHOOK_SECRET=$(secret)" -e "ENCRYPTION_KEY=$(node -p 'require("crypto").randomBytes(32).toString("base64")')" \
  -e "SHUTDOWN_DRAIN_MS=$drain_ms" "$image"
base_url="http://127.0.0.1:$port"
deadline=$((SECONDS + 60))
until [[ "$(status_of "$base_url/health/live")" == 200 ]]; do
  if (( SECONDS > deadline )) || [[ "$(podman inspect "app-$suffix" --format '{{.State.Status}}')" != running ]]; then
    podman logs "app-$suffix" >&2; fail "/health/live never answered 200"
  fi
  sleep 0.3
done
deadline=$((SECONDS + 30))
until [[ "$(status_of "$base_url/health/ready")" == 200 ]]; do
  (( SECONDS < deadline )) || { curl -s "$base_url/health/ready" >&2; fail "/health/ready is $(status_of "$base_url/health/ready"), expected 200"; }
  sleep 0.3
done
podman healthcheck run "app-$suffix" >>"$podman_log" 2>&1 || fail "the image's HEALTHCHECK failed"
# The Deployment's preStop hook is `sleep N` (exec): the image must have it.
podman exec "app-$suffix" sleep 0 >>"$podman_log" 2>&1 || fail "no sleep in the image (the preStop hook runs it)"
pid="$(podman inspect "app-$suffix" --format '{{.State.Pid}}')"
uid="$(awk '/^Uid:/{print $2}' "/proc/$pid/status")"
gid="$(awk '/^Gid:/{print $2}' "/proc/$pid/status")"
[[ "$uid" == 1000 && "$gid" == 1000 ]] || fail "the service runs as uid $uid gid $gid, expected 1000/1000"
passed "live 200, ready 200, HEALTHCHECK healthy, sleep present, node runs as uid $uid gid $gid"

check "smoke suite: npm run smoke from the image against the service"
# NODE_ENV=development only for the suite, so that it mints its token from the service's JWT_SECRET
# (it refuses to in production, where SMOKE_TOKEN comes from the identity provider).
run_restricted "smoke-$suffix" -e NODE_ENV=development -e "JWT_SECRET=$jwt_secret" "$image" npm run -s smoke -- --base-url "$base_url"
code="$(wait_exit "smoke-$suffix" 60)"
podman logs "smoke-$suffix" 2>&1 | sed 's/^/    /'
[[ "$code" == 0 ]] || fail "npm run smoke exited $code"
passed "every smoke check passed"

check "RUNBOOK memory profiling: SIGUSR1 opens the inspector in the running process"
podman exec "app-$suffix" node -e 'process.kill(1, "SIGUSR1")' >>"$podman_log" 2>&1 || fail "could not signal PID 1"
deadline=$((SECONDS + 10))
until podman logs "app-$suffix" 2>&1 | grep -q 'Debugger listening on ws://127.0.0.1:9229'; do
  (( SECONDS < deadline )) || fail "no inspector after SIGUSR1"
  sleep 0.2
done
passed "inspector on 127.0.0.1:9229 (kubectl port-forward <pod> 9229)"

check "SIGTERM: readiness 503 while draining, exit 0 within ${grace_seconds}s"
sigterm_at=$SECONDS
podman kill --signal TERM "app-$suffix" >>"$podman_log" 2>&1
ready_after="$(status_of "$base_url/health/ready")"
[[ "$ready_after" == 503 ]] || fail "/health/ready answered $ready_after right after SIGTERM, expected 503 (drain)"
code="$(wait_exit "app-$suffix" "$grace_seconds")"
took=$((SECONDS - sigterm_at))
[[ "$code" == 0 ]] || { podman logs "app-$suffix" >&2; fail "exit code $code after SIGTERM"; }
passed "ready 503 during the drain, exit 0 after ${took}s (drain ${drain_ms} ms, grace ${grace_seconds}s)"

printf '\ncontainer checks passed in %ss\n' "$((SECONDS - started))"
