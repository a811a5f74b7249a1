import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv } from '../helpers/cli';
import { scratchDatabase } from '../helpers/test-database';
import { CHART, REPO_ROOT, render, type RenderedObject } from './support/chart';

/**
 * docs/RUNBOOK.md: every command in its bash blocks exists in this repository. npm scripts are
 * run for real against a database of their own; helm upgrades are replayed against the chart; every
 * object, container, label, namespace and path a kubectl line names must exist in the rendered
 * chart or the repository. An unrecognised command fails the test, so nothing slips through.
 */
const RUNBOOK = readFileSync(join(REPO_ROOT, 'docs', 'RUNBOOK.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
const VARIABLES: Record<string, string> = { VERSION: '1.4.0', PREVIOUS_VERSION: '1.3.0' };
const NAMESPACES = ['tickettoken-staging', 'tickettoken-prod'];

function runbookCommands(): string[] {
  const commands: string[] = [];
  for (const block of RUNBOOK.matchAll(/```bash\n([\s\S]*?)```/g)) {
    const joined = block[1].replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) {
      const command = line.trim().replace(/\s+#\s.*$/, '').replace(/\s+&$/, '');
      if (command !== '' && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

const substitute = (command: string) => command.replace(/\$\{(\w+)\}/g, (_, name: string) => VARIABLES[name] ?? `\${${name}}`);
const commands = runbookCommands().map(substitute);
const byTool = (prefix: RegExp) => commands.filter((command) => prefix.test(command));

/** All objects any mode of the chart can create: defaults, canary, blue-green. */
const objects: RenderedObject[] = [
  ...render([]),
  ...render(['--set', 'canary.enabled=true', '--set', 'canary.weight=5']),
  ...render(['--set', 'activeColor=blue']),
];
const exists = (kind: string, name: string) => objects.some((object) => object.kind === kind && object.metadata.name === name);
const containers = new Set(
  objects.filter((object) => object.kind === 'Deployment').flatMap((object) => {
    const pod = (object as unknown as { spec: { template: { spec: { containers: Array<{ name: string }>; initContainers?: Array<{ name: string }> } } } }).spec.template.spec;
    return [...pod.containers, ...(pod.initContainers ?? [])].map((container) => container.name);
  }),
);

describe('docs/RUNBOOK.md commands', () => {
  it('finds commands of every kind it checks, and none it cannot check', () => {
    expect(commands.length).toBeGreaterThan(40);
    const known = /^(npm run |scripts\/|helm |kubectl |docker |aws secretsmanager |psql |curl |VERSION=)/;
    expect(commands.filter((command) => !known.test(command))).toEqual([]);
  });

  it('names npm scripts that exist', () => {
    for (const command of commands.filter((candidate) => candidate.includes('npm run '))) {
      expect(PACKAGE.scripts).toHaveProperty([/npm run (\S+)/.exec(command)![1]]);
    }
  });

  it('names scripts that exist, are executable and have tests of their own', () => {
    const specs = readFileSync(join(REPO_ROOT, 'test', 'deploy', 'deploy-scripts.spec.ts'), 'utf8');
    for (const command of byTool(/^scripts\//)) {
      const script = command.split(' ')[0];
      accessSync(join(REPO_ROOT, script), constants.X_OK);
      expect(specs).toContain(script);
    }
  });

  it('replays every helm upgrade against the chart (keys, values files, schema)', () => {
    const upgrades = byTool(/^helm upgrade /);
    expect(upgrades.length).toBeGreaterThanOrEqual(5);
    for (const command of upgrades) {
      expect(command).toMatch(/^helm upgrade (--install )?compliance-service \.\/helm\/compliance-service /);
      const words = command.split(/\s+/);
      const args: string[] = [];
      words.forEach((word, i) => {
        if (['--set', '-f', '--values'].includes(word)) args.push(word === '--values' ? '-f' : word, words[i + 1]);
      });
      for (const [i, word] of args.entries()) if (word === '-f') expect(existsSync(join(REPO_ROOT, args[i + 1]))).toBe(true);
      expect(() => render(args)).not.toThrow();
    }
    for (const command of byTool(/^helm (history|rollback) /)) expect(command.split(' ')[2]).toBe('compliance-service');
  });

  it('names only objects, containers, labels, namespaces and paths that exist', () => {
    for (const command of byTool(/^kubectl /)) {
      const namespace = /(?:-n|--namespace)\s+(\S+)/.exec(command)?.[1];
      if (namespace === 'monitoring') continue; // the monitoring stack's own Prometheus
      expect(NAMESPACES).toContain(namespace);
      for (const [, kind, name] of command.matchAll(/\b(deployment|service|externalsecret)[/ ]([a-z][-a-z0-9]*)/g)) {
        const kinds: Record<string, string> = { deployment: 'Deployment', service: 'Service', externalsecret: 'ExternalSecret' };
        expect(`${kind}/${name}: ${exists(kinds[kind], name)}`).toBe(`${kind}/${name}: true`);
      }
      for (const [, container] of command.matchAll(/ -c (\S+)/g)) expect(containers).toContain(container);
      for (const [, container] of command.matchAll(/ ([a-z-]+)=tickettoken\/compliance-service:/g)) expect(containers).toContain(container);
      if (command.includes('-l ')) expect(command).toContain('-l app=compliance-service');
      const applied = / apply -f (\S+)/.exec(command)?.[1];
      if (applied !== undefined) expect(existsSync(join(REPO_ROOT, applied))).toBe(true);
    }
    const pods = objects.filter((object) => object.kind === 'Deployment')
      .map((object) => (object as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels.app);
    expect(new Set(pods)).toEqual(new Set(['compliance-service']));
  });

  it('builds the image the Dockerfile defines and computes VERSION from package.json', () => {
    for (const command of byTool(/^docker /)) expect(command).toMatch(/tickettoken\/compliance-service:1\.4\.0( \.)?$/);
    expect(existsSync(join(REPO_ROOT, 'Dockerfile'))).toBe(true);
    const version = byTool(/^VERSION=/)[0].replace(/^VERSION=\$\((.*)\)$/, '$1');
    expect(spawnSync('bash', ['-c', version], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim()).toBe(PACKAGE.version);
  });

  it('reads the secret the ExternalSecret maps and queries the table TypeORM really uses', () => {
    const remoteKeys = new Set(
      [...render([]), ...render(['-f', `${CHART}/values-staging.yaml`])]
        .filter((object) => object.kind === 'ExternalSecret')
        .flatMap((object) => (object.spec as { data: Array<{ remoteRef: { key: string } }> }).data.map((entry) => entry.remoteRef.key)),
    );
    for (const command of byTool(/^aws secretsmanager /)) expect(remoteKeys).toContain(/--secret-id (\S+)/.exec(command)![1]);
    const envSchema = readFileSync(join(REPO_ROOT, 'src', 'config', 'env.schema.ts'), 'utf8');
    expect(envSchema).toMatch(/MIGRATIONS_TABLE: .*\.default\('migrations'\)/);
    for (const command of byTool(/^psql /)) {
      expect(command).toContain('FROM migrations');
      expect(command).not.toContain('knex_migrations');
    }
  });

  describe('npm scripts, run as written against a database of their own', () => {
    let database: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      database = await scratchDatabase('runbook');
    });
    afterAll(() => database.drop());

    const npm = (args: string[]) =>
      new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const env = { ...cleanEnv(), DATABASE_URL: database.url, LOG_LEVEL: 'warn', ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}) };
        const child = spawn('npm', args, { cwd: REPO_ROOT, env });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, output }));
      });

    // Including those run inside a pod (`kubectl exec … -- npm run …`): the image has the same scripts.
    // k8s:render rewrites k8s/; its check twin proves the same render without writing.
    const inPods = byTool(/^kubectl exec .* -- npm run /).map((command) => command.replace(/^.* -- (npm run .*)$/, '$1'));
    const runnable = [...new Set([...byTool(/^npm run /), ...inPods].map((command) => command.replace('npm run k8s:render', 'npm run k8s:check')))];

    it.each(runnable)('%s exits 0', async (command) => {
      // Each command starts from a fully migrated database, so every down/rollback has something to revert.
      const up = await npm(['run', 'migrate:up']);
      expect(up.code).toBe(0);
      const result = await npm(command.split(' ').slice(1));
      if (result.code !== 0) throw new Error(`${command} exited ${result.code}:\n${result.output}`);
    }, 60_000);
  });
});
