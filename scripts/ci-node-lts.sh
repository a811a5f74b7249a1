#!/usr/bin/env bash
# Runs npm test (build, then Jest) on the runtime-facing suites under the Node.js LTS the container
# image runs, besides the machine's Node: the image must not run on a Node the tests never saw.
# Node comes from the npm registry's `node` package, cached in .tmp/ (scripts/node-lts.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(scripts/node-lts.sh)"
# npm and every script it starts (tsc, jest) resolve `node` through PATH: this puts all of them on the LTS.
export PATH="$bin:$PATH"
echo "npm test under Node $(node -v) (npm $(npm -v))"
# Not the whole suite a second time (CI must stay under 20 minutes): the unit tests and the suites
# where the runtime shows through: booting (require(esm), the embedded database), graceful shutdown,
# probes, the job engine's timers and pool, migrations, crypto (tokens, webhook signatures, the audit
# chain), logging and problem+json. The domain suites run on the machine's Node in `npm test`, and the
# container stage (scripts/ci-container.sh) runs the image itself, on this Node, through the smoke suite.
npm test -- src/ test/boot test/shutdown test/health test/jobs/ test/migrations test/auth/ test/webhooks/ \
  test/audit/ test/logging test/problem-details test/app.e2e-spec
