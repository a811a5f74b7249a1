import type { Deployment } from 'kubernetes-types/apps/v1';
import { named, render, VALUES_MATRIX, type RenderedObject } from './support/chart';
import { StrictSchemaValidator, validateWithKubernetesModels } from './support/validators';

/**
 * Every object of every profile is validated twice: kubernetes-models (types, enums, quantities)
 * and a strict schema from kubernetes-types (no unknown fields). The first tests prove each
 * validator rejects what it is here to reject, so a validator that silently accepts everything
 * cannot pass.
 */
describe('rendered Kubernetes objects are valid', () => {
  let strict: StrictSchemaValidator;
  beforeAll(() => {
    strict = new StrictSchemaValidator();
  });

  const defaults = (): RenderedObject[] => render([]);

  it('kubernetes-models rejects a resource quantity that is not a quantity', () => {
    const deployment = structuredClone(named<Deployment>(defaults(), 'Deployment', 'compliance-service'));
    deployment.spec!.template.spec!.containers[0].resources!.limits!.cpu = 'lots';
    expect(() => validateWithKubernetesModels(deployment as unknown as RenderedObject)).toThrow();
  });

  it('the strict schema rejects a misspelled field (livenesProbe) that kubernetes-models accepts', () => {
    const deployment = structuredClone(named<Deployment>(defaults(), 'Deployment', 'compliance-service'));
    const container = deployment.spec!.template.spec!.containers[0] as unknown as Record<string, unknown>;
    container.livenesProbe = container.livenessProbe;
    delete container.livenessProbe;
    expect(validateWithKubernetesModels(deployment as unknown as RenderedObject)).toBe('validated');
    expect(strict.problems(deployment as unknown as RenderedObject)).toEqual(
      expect.arrayContaining([expect.stringContaining('(livenesProbe)')]),
    );
  });

  it('the strict schema rejects a wrong apiVersion and an ExternalSecret without data', () => {
    const objects = defaults();
    const hpa = { ...named<RenderedObject>(objects, 'HorizontalPodAutoscaler', 'compliance-service'), apiVersion: 'autoscaling/v3' };
    expect(strict.problems(hpa)).not.toEqual([]);
    const externalSecret = structuredClone(named<RenderedObject>(objects, 'ExternalSecret', 'compliance-service'));
    delete (externalSecret.spec as Record<string, unknown>).data;
    expect(strict.problems(externalSecret)).not.toEqual([]);
  });

  it('the strict schemas reject a misspelled PodMonitor field and a rule without expr', () => {
    const objects = defaults();
    const podMonitor = structuredClone(named<RenderedObject>(objects, 'PodMonitor', 'compliance-service'));
    (podMonitor.spec as Record<string, unknown>).podMetricEndpoints = (podMonitor.spec as Record<string, unknown>).podMetricsEndpoints;
    expect(strict.problems(podMonitor)).toEqual(expect.arrayContaining([expect.stringContaining('(podMetricEndpoints)')]));
    const rule = structuredClone(named<RenderedObject & { spec: { groups: Array<{ rules: Array<Record<string, unknown>> }> } }>(objects, 'PrometheusRule', 'compliance-service'));
    delete rule.spec.groups[0].rules[0].expr;
    expect(strict.problems(rule)).not.toEqual([]);
  });

  describe.each(VALUES_MATRIX)('$name', ({ args }) => {
    const objects = render(args);

    it.each(objects.map((object) => [`${object.kind}/${object.metadata.name}`, object] as const))(
      '%s: kubernetes-models (built-in kinds) and the strict schema accept it',
      (_, object) => {
        if (!['ExternalSecret', 'PodMonitor', 'PrometheusRule'].includes(object.kind)) expect(validateWithKubernetesModels(object)).toBe('validated');
        expect(strict.problems(object)).toEqual([]);
      },
    );
  });
});
