import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './chart';

/**
 * Stand-ins for a cluster, so the deploy scripts run for real without one: `helm` and `kubectl`
 * record their arguments and answer from fixtures; a Prometheus answers instant queries on
 * 127.0.0.1. `helm upgrade` calls are afterwards replayed against the real chart with `helm
 * template`, so every --set the scripts use is checked by the chart's schema.
 */
export interface ClusterState {
  values: Record<string, unknown>;
  /** When the release was last deployed (helm history). */
  updatedMinutesAgo?: number;
  rolloutFails?: boolean;
  /** The smoke suite's exit: 1 a check failed, 2 it cannot run. */
  smokeExit?: number;
  /** kubectl port-forward fails (e.g. a Service without ready endpoints). */
  portForwardFails?: boolean;
  serviceColour?: string;
}

export interface ScriptRun {
  code: number | null;
  stderr: string;
  calls: string[];
}

const HELM_STUB = `#!/usr/bin/env bash
echo "helm $*" >> "$STUB_DIR/calls"
case "$1" in
  get) cat "$STUB_DIR/values.json" ;;
  history) printf '[{"revision":7,"updated":"%s"}]\\n' "$(date -u -d "@$STUB_UPDATED" +%Y-%m-%dT%H:%M:%S.000000000Z)" ;;
  upgrade) exit 0 ;;
  *) echo "helm stub: unexpected $1" >&2; exit 99 ;;
esac
`;
/** Stands in for `node dist/smoke/smoke.cli.js` (scripts/smoke-through-service.sh runs it as $SMOKE). */
const SMOKE_STUB = `#!/usr/bin/env bash
echo "smoke $*" >> "$STUB_DIR/calls"
exit "$STUB_SMOKE_EXIT"
`;
const KUBECTL_STUB = `#!/usr/bin/env bash
echo "kubectl $*" >> "$STUB_DIR/calls"
case "$1" in
  rollout) exit "$STUB_ROLLOUT_EXIT" ;;
  port-forward)
    [[ "$STUB_FORWARD_FAILS" == 1 ]] && { echo 'error: no endpoints available for service' >&2; exit 1; }
    echo "Forwarding from 127.0.0.1:43008 -> 3008"; exec sleep 60 ;;
  get) printf '%s' "$STUB_SERVICE_COLOUR" ;;
  *) echo "kubectl stub: unexpected $1" >&2; exit 99 ;;
esac
`;

export interface PrometheusAnswers {
  requestsPerSecond: string | null;
  errorRate: string;
  p99: string;
}

export class FakePrometheus {
  readonly queries: string[] = [];
  answers: PrometheusAnswers = { requestsPerSecond: '12.5', errorRate: '0.001', p99: '0.12' };
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      // Prometheus takes the query in the URL (GET) or as a form body (POST, what curl --data-urlencode sends).
      let body = '';
      for await (const chunk of request) body += String(chunk);
      const form = new URLSearchParams(request.method === 'POST' ? body : new URL(request.url ?? '/', 'http://x').search);
      const query = form.get('query') ?? '';
      this.queries.push(query);
      const value = query.startsWith('histogram_quantile') ? this.answers.p99
        : query.includes('status_code=~') ? this.answers.errorRate
        : this.answers.requestsPerSecond;
      const result = value === null ? [] : [{ metric: {}, value: [Date.now() / 1000, value] }];
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Runs a script from scripts/ with the stubs first on PATH; returns its exit code, stderr and the stub calls. */
export async function runScript(script: string, args: string[], state: ClusterState, prometheusUrl: string): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cluster-stub-'));
  writeFileSync(join(dir, 'helm'), HELM_STUB);
  writeFileSync(join(dir, 'kubectl'), KUBECTL_STUB);
  writeFileSync(join(dir, 'smoke'), SMOKE_STUB);
  for (const stub of ['helm', 'kubectl', 'smoke']) chmodSync(join(dir, stub), 0o755);
  writeFileSync(join(dir, 'values.json'), JSON.stringify(state.values));
  writeFileSync(join(dir, 'calls'), '');
  const env = {
    ...process.env,
    PATH: `${dir}:${process.env.PATH ?? ''}`,
    STUB_DIR: dir,
    STUB_UPDATED: String(Math.floor(Date.now() / 1000) - (state.updatedMinutesAgo ?? 0) * 60),
    STUB_ROLLOUT_EXIT: state.rolloutFails ? '1' : '0',
    STUB_SMOKE_EXIT: String(state.smokeExit ?? 0),
    SMOKE: join(dir, 'smoke'),
    STUB_FORWARD_FAILS: state.portForwardFails ? '1' : '0',
    STUB_SERVICE_COLOUR: state.serviceColour ?? '',
    PROMETHEUS_URL: prometheusUrl,
  };
  const child = spawn('bash', [join(REPO_ROOT, 'scripts', script), ...args], { env, cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean);
  return { code, stderr, calls };
}

/** The --set/--values arguments of a recorded `helm upgrade`, to replay with `helm template`. */
export function templateArgsOf(upgradeCall: string): string[] {
  const words = upgradeCall.split(' ').slice(1);
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '--set' || words[i] === '--values') args.push(words[i], words[i + 1]);
  }
  return args;
}
