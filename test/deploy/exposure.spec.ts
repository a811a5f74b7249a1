import type { NetworkPolicy, NetworkPolicyPeer } from 'kubernetes-types/networking/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import type { Service } from 'kubernetes-types/core/v1';
import { named, ofKind, render, VALUES_MATRIX, type RenderedObject } from './support/chart';

/**
 * The admin and ops surface (/admin/*, /metrics, detailed /health/ready) stays inside the cluster:
 * the Ingresses route only the public API, and the NetworkPolicy admits port 3008 only from the
 * ingress controller, Prometheus' namespace and the release's own namespace.
 */

/** Whether an Ingress path matches a request path, as the Ingress API defines Prefix and Exact. */
export function ingressPathMatches(path: string, pathType: string, request: string): boolean {
  if (pathType === 'Exact') return path === request;
  // ImplementationSpecific is up to the controller (NGINX: a regex-capable prefix): nothing to rely on.
  if (pathType !== 'Prefix') throw new Error(`pathType ${pathType}: use Prefix or Exact`);
  // Prefix compares whole path elements; a trailing slash is ignored on both sides.
  const elements = (value: string) => value.split('/').filter((element) => element !== '');
  const prefix = elements(path);
  const requested = elements(request);
  return prefix.every((element, i) => requested[i] === element);
}

/** The request paths the ingress controller forwards to some backend of these Ingresses. */
function routed(ingresses: Ingress[], request: string): boolean {
  return ingresses.some((ingress) =>
    (ingress.spec!.rules ?? []).some((rule) => (rule.http?.paths ?? []).some((path) => ingressPathMatches(path.path ?? '/', path.pathType, request))),
  );
}

const PUBLIC = ['/api/v1/venues', '/api/v1/venues/7/documents', '/webhooks/stripe', '/console', '/console/cases/3'];
const PRIVATE = ['/', '/admin/flags', '/admin/flags/LOAD_SHEDDING', '/metrics', '/health/ready', '/health/live', '/docs', '/apiary', '/webhooksx'];

describe('ingressPathMatches (the Ingress API path rules the checks below rely on)', () => {
  it.each([
    ['/api/', 'Prefix', '/api', true],
    ['/api/', 'Prefix', '/api/v1', true],
    ['/api/', 'Prefix', '/apiary', false],
    ['/', 'Prefix', '/metrics', true],
    ['/docs', 'Exact', '/docs/json', false],
  ])('%s (%s) against %s: %s', (path, pathType, request, expected) => {
    expect(ingressPathMatches(path, pathType, request)).toBe(expected);
  });

  it('refuses ImplementationSpecific, whose meaning depends on the controller', () => {
    expect(() => ingressPathMatches('/', 'ImplementationSpecific', '/metrics')).toThrow(/use Prefix or Exact/);
  });
});

describe.each(VALUES_MATRIX)('$name profile keeps the admin and ops surface private', ({ args }) => {
  const objects: RenderedObject[] = render(args);
  const ingresses = ofKind<Ingress>(objects, 'Ingress');

  it('routes the public API through every Ingress', () => {
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ingress of ingresses) {
      for (const request of PUBLIC) expect(`${ingress.metadata!.name} ${request}: ${routed([ingress], request)}`).toBe(`${ingress.metadata!.name} ${request}: true`);
    }
  });

  it('routes none of /admin, /metrics, /health or anything else outside the public prefixes', () => {
    for (const request of PRIVATE) expect(`${request}: ${routed(ingresses, request)}`).toBe(`${request}: false`);
  });

  it('gives the canary Ingress exactly the stable Ingress paths (NGINX splits traffic per path)', () => {
    const paths = (ingress: Ingress) => ingress.spec!.rules!.map((rule) => rule.http!.paths.map((path) => [path.path, path.pathType]));
    const stable = named<Ingress>(objects, 'Ingress', 'compliance-service');
    for (const ingress of ingresses) expect(paths(ingress)).toEqual(paths(stable));
  });

  it('exposes no Service outside the cluster (ClusterIP only)', () => {
    for (const service of ofKind<Service>(objects, 'Service')) expect(service.spec!.type ?? 'ClusterIP').toBe('ClusterIP');
  });

  it('admits port 3008 only from the ingress controller, monitoring and this namespace', () => {
    const policy = named<NetworkPolicy>(objects, 'NetworkPolicy', 'compliance-service');
    expect(policy.spec!.policyTypes).toContain('Ingress');
    const allowed: NetworkPolicyPeer[] = [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      { podSelector: {} },
    ];
    for (const rule of policy.spec!.ingress!) {
      // A rule without `from` admits every source; without `ports`, every port.
      expect(rule.from).toBeDefined();
      expect(rule.ports).toEqual([{ port: 3008, protocol: 'TCP' }]);
      for (const peer of rule.from!) expect(allowed).toContainEqual(peer);
    }
    const metricsRule = policy.spec!.ingress!.find((rule) => rule.from!.some((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring'));
    expect(metricsRule).toBeDefined();
  });
});

describe('exposure options', () => {
  const ingressesOf = (args: string[]) => ofKind<Ingress>(render(args), 'Ingress');

  it('routes /docs only when ingress.docs.enabled is set', () => {
    expect(routed(ingressesOf(['--set', 'ingress.docs.enabled=true']), '/docs/json')).toBe(true);
    expect(routed(ingressesOf([]), '/docs/json')).toBe(false);
  });

  it('stops routing /console when ingress.console.enabled is false', () => {
    expect(routed(ingressesOf(['--set', 'ingress.console.enabled=false']), '/console')).toBe(false);
    expect(routed(ingressesOf(['--set', 'ingress.console.enabled=false']), '/api/v1/venues')).toBe(true);
  });

  it('takes the metrics namespace selector from values', () => {
    const objects = render(['--set', 'networkPolicy.metricsNamespaceSelector.team=observability', '--set', 'networkPolicy.sameNamespace=false']);
    const peers = named<NetworkPolicy>(objects, 'NetworkPolicy', 'compliance-service').spec!.ingress!.flatMap((rule) => rule.from!);
    expect(peers).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring', team: 'observability' } } });
    expect(peers).not.toContainEqual({ podSelector: {} });
  });

  it('refuses a missing metrics namespace selector (an empty one would admit every namespace)', () => {
    expect(() => render(['--set', 'networkPolicy.metricsNamespaceSelector=null'])).toThrow(/metricsNamespaceSelector/);
  });
});
