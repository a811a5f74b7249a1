import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { ConfigMap, Container, Service } from 'kubernetes-types/core/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { named, ofKind, render, VALUES_MATRIX, type RenderedObject } from './support/chart';

/** The deployment guide's probes, exactly. */
const GUIDE_PROBES = {
  livenessProbe: { httpGet: { path: '/health/live', port: 3008 }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  readinessProbe: { httpGet: { path: '/health/ready', port: 3008 }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
  startupProbe: { httpGet: { path: '/health/live', port: 3008 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 30 },
};
const SECRET_KEYS = ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET', 'ADMIN_API_TOKEN', 'ENCRYPTION_KEY', 'SENTRY_DSN'];

const appContainer = (deployment: Deployment): Container =>
  deployment.spec!.template.spec!.containers.find((container) => container.name === 'compliance-service')!;
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

describe.each(VALUES_MATRIX)('rendered $name profile', ({ args }) => {
  const objects: RenderedObject[] = render(args);
  const deployments = ofKind<Deployment>(objects, 'Deployment');

  it('sets no namespace, so `kubectl apply -n <namespace>` decides it', () => {
    expect(objects.filter((object) => object.metadata.namespace !== undefined)).toEqual([]);
  });

  it('has the probes of the deployment guide on port 3008', () => {
    for (const deployment of deployments) {
      expect(appContainer(deployment)).toMatchObject(GUIDE_PROBES);
      expect(appContainer(deployment).startupProbe).not.toHaveProperty('timeoutSeconds');
      expect(appContainer(deployment).ports).toEqual([{ name: 'http', containerPort: 3008, protocol: 'TCP' }]);
    }
  });

  it('migrates in an init container running npm run migration:run from the same image', () => {
    for (const deployment of deployments) {
      const [init] = deployment.spec!.template.spec!.initContainers!;
      expect(init.command).toEqual(['npm', 'run', 'migration:run']);
      expect(init.image).toBe(appContainer(deployment).image);
      expect(init.env).toEqual(appContainer(deployment).env);
    }
  });

  it('references images by version, never latest', () => {
    for (const deployment of deployments) {
      const spec = deployment.spec!.template.spec!;
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.image).toMatch(/^tickettoken\/compliance-service:\d+\.\d+\.\d+/);
      }
    }
  });

  it('runs non-root with a read-only root, writable /tmp only, no escalation, no capabilities', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template.spec!;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext).toEqual({
          runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
        });
        const writable = (container.volumeMounts ?? []).filter((mount) => mount.readOnly !== true);
        expect(writable).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      }
      expect(pod.volumes!.find((volume) => volume.name === 'tmp')!.emptyDir).toBeDefined();
    }
  });

  it('fits preStop and the app shutdown deadline inside the grace period', () => {
    const config = named<ConfigMap>(objects, 'ConfigMap', 'compliance-service').data!;
    for (const deployment of deployments) {
      const pod = deployment.spec!.template.spec!;
      const preStop = appContainer(deployment).lifecycle!.preStop!.exec!.command!;
      expect(preStop[0]).toBe('sleep');
      expect(pod.terminationGracePeriodSeconds).toBe(30);
      const budget = Number(preStop[1]) + Number(config.SHUTDOWN_TIMEOUT_MS) / 1000;
      expect(budget).toBeLessThan(pod.terminationGracePeriodSeconds!);
      expect(Number(config.SHUTDOWN_DRAIN_MS)).toBeLessThanOrEqual(Number(config.SHUTDOWN_TIMEOUT_MS));
    }
  });

  it('mounts every secret from the ExternalSecret as a <NAME>_FILE', () => {
    const externalSecret = named<RenderedObject & { spec: { target: { name: string }; data: Array<{ secretKey: string; remoteRef: { key: string; property: string } }> } }>(objects, 'ExternalSecret', 'compliance-service');
    const environment = named<ConfigMap>(objects, 'ConfigMap', 'compliance-service').data!.NODE_ENV;
    expect(externalSecret.spec.data.map((entry) => entry.secretKey)).toEqual(SECRET_KEYS);
    expect(externalSecret.spec.data.every((entry) => entry.remoteRef.key === `compliance-service/${environment}` && entry.remoteRef.property === entry.secretKey)).toBe(true);
    for (const deployment of deployments) {
      const secretVolume = deployment.spec!.template.spec!.volumes!.find((volume) => volume.secret !== undefined)!;
      expect(secretVolume.secret!.secretName).toBe(externalSecret.spec.target.name);
      const env = Object.fromEntries(appContainer(deployment).env!.map((variable) => [variable.name, variable.value]));
      for (const key of SECRET_KEYS) expect(env[`${key}_FILE`]).toBe(`/var/run/secrets/compliance-service/${key}`);
    }
  });

  it('spreads pods over zones and nodes', () => {
    for (const deployment of deployments) {
      const keys = deployment.spec!.template.spec!.topologySpreadConstraints!.map((constraint) => constraint.topologyKey);
      expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      for (const constraint of deployment.spec!.template.spec!.topologySpreadConstraints!) {
        expect(constraint.labelSelector!.matchLabels).toEqual(deployment.spec!.selector.matchLabels);
      }
    }
  });

  it('has selectors (Deployment, Service, PDB, HPA target) that match the pods they mean', () => {
    for (const deployment of deployments) {
      expect(matches(deployment.spec!.selector.matchLabels!, deployment.spec!.template.metadata!.labels)).toBe(true);
      expect(deployment.spec!.template.metadata!.labels).toMatchObject({ app: 'compliance-service' });
    }
    for (const service of ofKind<Service>(objects, 'Service')) {
      const selected = deployments.filter((deployment) => matches(service.spec!.selector!, deployment.spec!.template.metadata!.labels));
      expect(selected).toHaveLength(1);
    }
    for (const pdb of ofKind<PodDisruptionBudget>(objects, 'PodDisruptionBudget')) {
      const selected = deployments.filter((deployment) => matches(pdb.spec!.selector!.matchLabels!, deployment.spec!.template.metadata!.labels));
      expect(selected.map((deployment) => deployment.metadata!.name)).toEqual([pdb.metadata!.name]);
    }
    for (const hpa of ofKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler')) {
      const target = named<Deployment>(objects, 'Deployment', hpa.spec!.scaleTargetRef.name);
      expect(target.spec!.replicas).toBeUndefined();
    }
  });
});

describe('per environment', () => {
  const staging = render(VALUES_MATRIX[1].args);
  const production = render(VALUES_MATRIX[2].args);
  const resources = (objects: RenderedObject[]) => appContainer(named<Deployment>(objects, 'Deployment', 'compliance-service')).resources;
  const config = (objects: RenderedObject[]) => named<ConfigMap>(objects, 'ConfigMap', 'compliance-service').data!;

  it('staging: 2 replicas, no HPA, CPU 100m-250m, memory 256Mi-384Mi', () => {
    expect(named<Deployment>(staging, 'Deployment', 'compliance-service').spec!.replicas).toBe(2);
    expect(ofKind(staging, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(resources(staging)).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '250m', memory: '384Mi' } });
  });

  it('production: HPA 3-10, CPU 100m-500m, memory 256Mi-512Mi', () => {
    const hpa = named<HorizontalPodAutoscaler>(production, 'HorizontalPodAutoscaler', 'compliance-service');
    expect([hpa.spec!.minReplicas, hpa.spec!.maxReplicas]).toEqual([3, 10]);
    expect(resources(production)).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  it('feature flags follow the guide: staging three, production all four', () => {
    expect(config(staging)).toMatchObject({ NODE_ENV: 'staging', DETAILED_HEALTH_CHECKS: 'true', METRICS_ENDPOINT: 'true', LOAD_SHEDDING: 'true', BULKHEAD_PATTERN: 'false' });
    expect(config(production)).toMatchObject({ NODE_ENV: 'production', DETAILED_HEALTH_CHECKS: 'true', METRICS_ENDPOINT: 'true', LOAD_SHEDDING: 'true', BULKHEAD_PATTERN: 'true' });
  });

  it('maps the optional secrets (SENTRY_DSN by default) only as externalSecret.extraKeys lists them', () => {
    const objects = render(['--set', 'externalSecret.extraKeys={JWT_SECRET_PREVIOUS}']);
    const externalSecret = named<RenderedObject & { spec: { data: Array<{ secretKey: string }> } }>(objects, 'ExternalSecret', 'compliance-service');
    const required = SECRET_KEYS.filter((key) => key !== 'SENTRY_DSN');
    expect(externalSecret.spec.data.map((entry) => entry.secretKey)).toEqual([...required, 'JWT_SECRET_PREVIOUS']);
    const env = appContainer(named<Deployment>(objects, 'Deployment', 'compliance-service')).env!.map((variable) => variable.name);
    expect(env).toContain('JWT_SECRET_PREVIOUS_FILE');
    expect(env).not.toContain('SENTRY_DSN_FILE');
  });

  it('sets the JWT issuer and audience in every environment', () => {
    for (const objects of [staging, production]) expect(config(objects)).toMatchObject({ JWT_ISSUER: 'ticketing-platform', JWT_AUDIENCE: 'compliance-service' });
  });

  it('production verifies PostgreSQL against the mounted CA bundle, in the app and the migrations', () => {
    expect(config(production).DATABASE_SSL).toBe('verify-full');
    const deployment = named<Deployment>(production, 'Deployment', 'compliance-service');
    const pod = deployment.spec!.template.spec!;
    const volume = pod.volumes!.find((candidate) => candidate.name === 'database-ca')!;
    expect(volume.configMap).toEqual({ name: 'rds-ca-bundle', items: [{ key: 'global-bundle.pem', path: 'global-bundle.pem' }] });
    for (const container of [...pod.containers, ...pod.initContainers!]) {
      const mount = container.volumeMounts!.find((candidate) => candidate.name === 'database-ca')!;
      expect(mount.readOnly).toBe(true);
      const caFile = container.env!.find((variable) => variable.name === 'DATABASE_SSL_CA_FILE')!.value;
      expect(caFile).toBe(`${mount.mountPath}/global-bundle.pem`);
    }
  });

  it('takes the CA bundle from a Secret instead, and refuses both sources at once', () => {
    const objects = render(['--set', 'databaseCA.configMap=', '--set', 'databaseCA.secret=db-ca', '--set', 'databaseCA.key=ca.pem']);
    const pod = named<Deployment>(objects, 'Deployment', 'compliance-service').spec!.template.spec!;
    expect(pod.volumes!.find((candidate) => candidate.name === 'database-ca')!.secret).toEqual({ secretName: 'db-ca', items: [{ key: 'ca.pem', path: 'ca.pem' }] });
    expect(() => render(['--set', 'databaseCA.secret=db-ca'])).toThrow(/configMap or secret, not both/);
  });

  it('staging encrypts without a CA bundle: no DATABASE_SSL_CA_FILE pointing at nothing', () => {
    const pod = named<Deployment>(staging, 'Deployment', 'compliance-service').spec!.template.spec!;
    expect(pod.volumes!.map((volume) => volume.name)).not.toContain('database-ca');
    expect(appContainer(named<Deployment>(staging, 'Deployment', 'compliance-service')).env!.map((variable) => variable.name)).not.toContain('DATABASE_SSL_CA_FILE');
  });

  it('the default profile (k8s/deployment.yaml) is the production profile', () => {
    const strip = (objects: RenderedObject[]) => JSON.stringify(objects);
    expect(strip(render([]))).toBe(strip(production));
  });
});

describe('canary and blue-green', () => {
  it('wires canary.weight into the NGINX canary ingress and runs the canary image', () => {
    const objects = render(VALUES_MATRIX[3].args);
    const canaryIngress = named<Ingress>(objects, 'Ingress', 'compliance-service-canary');
    expect(canaryIngress.metadata!.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '25' });
    expect(canaryIngress.spec!.rules![0].http!.paths[0].backend.service!.name).toBe('compliance-service-canary');
    expect(canaryIngress.spec!.rules![0].host).toBe(named<Ingress>(objects, 'Ingress', 'compliance-service').spec!.rules![0].host);
    const canary = named<Deployment>(objects, 'Deployment', 'compliance-service-canary');
    expect(appContainer(canary).image).toBe('tickettoken/compliance-service:1.1.0');
    expect(appContainer(named<Deployment>(objects, 'Deployment', 'compliance-service')).image).toBe('tickettoken/compliance-service:1.0.0');
    expect(named<Service>(objects, 'Service', 'compliance-service').spec!.selector).toMatchObject({ track: 'stable' });
    expect(ofKind<RenderedObject>(objects, 'PodDisruptionBudget').map((pdb) => pdb.metadata.name)).toEqual(['compliance-service']);
  });

  it.each([5, 50, 100])('renders canary weight %i as given', (weight) => {
    const objects = render(['--set', 'canary.enabled=true', '--set', `canary.weight=${weight}`]);
    expect(named<Ingress>(objects, 'Ingress', 'compliance-service-canary').metadata!.annotations!['nginx.ingress.kubernetes.io/canary-weight']).toBe(String(weight));
  });

  it('switches the Service selector with activeColor; the preview Service takes the other colour', () => {
    for (const [active, other] of [['green', 'blue'], ['blue', 'green']]) {
      const objects = render(['--set', `activeColor=${active}`]);
      expect(named<Service>(objects, 'Service', 'compliance-service').spec!.selector).toMatchObject({ color: active });
      expect(named<Service>(objects, 'Service', 'compliance-service-preview').spec!.selector).toMatchObject({ color: other });
    }
    const objects = render(VALUES_MATRIX[4].args);
    expect(appContainer(named<Deployment>(objects, 'Deployment', 'compliance-service-green')).image).toBe('tickettoken/compliance-service:1.1.0');
    expect(appContainer(named<Deployment>(objects, 'Deployment', 'compliance-service-blue')).image).toBe('tickettoken/compliance-service:1.0.0');
  });

  it('scales a decommissioned colour to zero without an HPA or PDB', () => {
    const objects = render(['--set', 'activeColor=green', '--set', 'blueGreen.blue.scaledDown=true']);
    expect(named<Deployment>(objects, 'Deployment', 'compliance-service-blue').spec!.replicas).toBe(0);
    expect(ofKind<RenderedObject>(objects, 'HorizontalPodAutoscaler').map((o) => o.metadata.name)).toEqual(['compliance-service-green']);
    expect(ofKind<RenderedObject>(objects, 'PodDisruptionBudget').map((o) => o.metadata.name)).toEqual(['compliance-service-green']);
  });
});
