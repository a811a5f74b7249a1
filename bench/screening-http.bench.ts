/**
 * Sanctions screening over HTTP, the full SDN list loaded: latency at 500 screenings/s and the
 * throughput of 8 callers without pause, with a service token, a batch of 1,000 names, and the memory the loaded list adds.
 *
 *   npm run bench:screening            (needs PostgreSQL and the SDN snapshot at ../shared/data/ofac)
 *
 * Env: TEST_DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
 * REDIS_URL (default redis://127.0.0.1:6379; BENCH_REDIS=off to run without), SANCTIONS_OFAC_DIR,
 * BENCH_SECONDS (15), BENCH_RATE (500). The server runs on core 1, the load generator on core 0. Names are unique
 * per request (list names with typos, and made-up names), so the Redis cache does not flatter it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { mintToken } from '../src/auth/token-minter';
import { SanctionsListRepository } from '../src/modules/sanctions/lists/sanctions-list.repository';
import { SanctionsNameIndex } from '../src/modules/sanctions/matching/sanctions-name.index';
import { SanctionsMatcher } from '../src/modules/sanctions/matching/sanctions.matcher';
import { freePort, migrateDatabase, ROOT, startPinned, table, waitForHttp } from './bench-support';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS === 'off' ? undefined : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const OFAC_DIR = resolve(process.env.SANCTIONS_OFAC_DIR ?? join(ROOT, '..', 'shared', 'data', 'ofac'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** The rate the latency target is stated at. */
const RATE = Number(process.env.BENCH_RATE ?? 500);
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const FIRST = ['John', 'Maria', 'Ahmed', 'Olivia', 'Chen', 'Ivan', 'Fatima', 'Carlos', 'Aisha', 'Peter', 'Yuki', 'Omar'];
const LAST = ['Smith', 'Garcia', 'Hassan', 'Fontaine', 'Wang', 'Petrov', 'Rahman', 'Silva', 'Okafor', 'Muller', 'Tanaka', 'Haddad'];

/** Listed names with one letter changed, then made-up names: mostly misses, some hits, all distinct. */
function queryNames(listNames: string[], count: number): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    if (i % 4 === 0) {
      const listed = listNames[(i * 7919) % listNames.length] as string;
      const at = i % Math.max(1, listed.length);
      names.push(`${listed.slice(0, at)}${listed[at] === 'A' ? 'E' : 'A'}${listed.slice(at + 1)} ${i}`);
    } else {
      names.push(`${FIRST[i % FIRST.length]} ${LAST[(i * 5) % LAST.length]} ${i.toString(36)}`);
    }
  }
  return names;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function main(): Promise<void> {
  const name = `compliance_bench_screening_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const rows: Array<Record<string, string | number>> = [];
  const env = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
  try {
    migrateDatabase(databaseUrl);
    const port = await freePort();
    const server = startPinned([join(ROOT, 'dist/index.js')], {
      ...env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', REDIS_URL, REDIS_KEY_PREFIX: `bench-screening-${Date.now()}:`,
      JWT_SECRET, WEBHOOK_SECRET: JWT_SECRET.replace('jwt', 'hook'), STRIPE_WEBHOOK_SECRET: JWT_SECRET.replace('jwt', 'strp'),
      ENCRYPTION_KEY: '7465737420656e6372797074696f6e206b657920303132333435363738396162',
      SANCTIONS_LIST_POLL_INTERVAL_MS: '500', RATE_LIMIT_DEFAULT_LIMIT: '100000000', LOAD_SHEDDING: 'false', BULKHEAD_PATTERN: 'true',
    }, 1);
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${base}/health/live`);
      await new Promise((done) => setTimeout(done, 1_000));
      const rssBefore = rssOf(server.pid as number);
      const imported = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist/modules/sanctions/sanctions-import.cli.js'), '--dir', OFAC_DIR], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString()) as { entries: number; durationMs: number; versionId: string };
      rows.push({ measure: 'import of the SDN snapshot (CLI)', value: `${imported.durationMs} ms (${imported.entries} entries)`, target: '≤ 10 s' });
      const token = await mintToken({ issuer: 'ticketing-platform', audience: 'compliance-service' }, JWT_SECRET, { subject: 'bench-service', tenantId: '00000000-0000-4000-8000-000000000001', roles: ['service'] });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const screen = (body: unknown, path = '') => fetch(`${base}/api/v1/screenings${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const deadline = Date.now() + 20_000;
      while ((await screen({ name: 'warm up' })).status === 503 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
      const rssAfter = rssOf(server.pid as number);

      // Memory the list adds: in this process with a forced GC (exact for the heap), and the server's RSS.
      const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
      const repository = new SanctionsListRepository();
      gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const entries = await repository.entriesOf(dataSource.manager, imported.versionId);
      const matcher = new SanctionsMatcher(SanctionsNameIndex.build(entries));
      gc?.();
      const heapAdded = process.memoryUsage().heapUsed - heapBefore;
      await dataSource.destroy();
      const listNames = entries.map((entry) => entry.primaryName);
      rows.push({ measure: 'heap added by the list (entries + index)', value: gc ? mb(heapAdded) : 'run with --expose-gc', target: '≤ 60 MB' });
      rows.push({ measure: 'server RSS before → after loading', value: `${mb(rssBefore)} → ${mb(rssAfter)} (+${mb(rssAfter - rssBefore)})`, target: '' });
      void matcher;

      const names = queryNames(listNames, 200_000);
      let next = 0;
      for (const warm of names.slice(0, 300)) await screen({ name: warm });
      next = 300;
      const load = (options: { connections: number; overallRate?: number }) =>
        autocannon({
          url: `${base}/api/v1/screenings`, duration: SECONDS, pipelining: 1, method: 'POST', headers, ...options,
          requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ name: names[next++ % names.length] }) }) }],
        });
      // The target is latency at a rate (500/s; BENCH_RATE), so callers are not the bottleneck: enough
      // connections that a request never waits for a free one, each paced by overallRate.
      const paced = await load({ connections: 32, overallRate: RATE });
      rows.push({ measure: `single screenings at ${RATE}/s, ${SECONDS} s`, value: `p50 ${paced.latency.p50} ms, p99 ${paced.latency.p99} ms (${Math.round(paced.requests.average)}/s served)`, target: 'p50 ≤ 3 ms, p99 ≤ 25 ms' });
      const saturated = await load({ connections: 8 });
      rows.push({ measure: `screenings/s, 8 callers without pause`, value: `${Math.round(saturated.requests.average)} (p50 ${saturated.latency.p50} ms; ${saturated.non2xx + paced.non2xx} non-2xx, ${saturated.errors + paced.errors} errors)`, target: '≥ 500/s' });

      const batch = names.slice(next, next + 1000).map((batchName) => ({ name: batchName }));
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const startedAt = performance.now();
        const response = await screen({ items: batch.map((item) => ({ name: `${item.name} ${i}` })) }, '/batch');
        if (response.status !== 200) throw new Error(`batch: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        times.push(performance.now() - startedAt);
      }
      rows.push({ measure: 'batch of 1,000 names (best / worst of 3)', value: `${Math.min(...times).toFixed(0)} / ${Math.max(...times).toFixed(0)} ms`, target: '≤ 2 s' });
    } finally {
      server.kill('SIGINT');
      await new Promise((done) => server.once('exit', done));
    }
    console.log(table(rows));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
