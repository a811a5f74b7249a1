import Ajv, { type ValidateFunction } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { REPO_ROOT, type RenderedObject } from './chart';
import { externalSecretSchema } from './external-secret.schema';
import { podMonitorSchema, prometheusRuleSchema } from './prometheus-operator.schema';

interface Model {
  validate(): void;
}
type ModelClass = new (data: never) => Model;

/** kubernetes-models 4.x (Kubernetes 1.27): types, enums, formats such as quantities. */
const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

/** Throws kubernetes-models' error for an invalid object; null when it has no model of the kind. */
export function validateWithKubernetesModels(object: RenderedObject): 'validated' | null {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (Model === undefined) return null;
  new Model(structuredClone(object) as never).validate();
  return 'validated';
}

export class StrictSchemaValidator {
  private readonly byKind = new Map<string, ValidateFunction>();

  /** Generates the schema from kubernetes-types (about 2 s), once per test file. */
  constructor() {
    const schema = createGenerator({
      path: join(__dirname, 'kubernetes-objects.ts'),
      tsconfig: join(REPO_ROOT, 'tsconfig.json'),
      type: 'KubernetesObject',
      skipTypeCheck: true,
      additionalProperties: false,
    }).createSchema('KubernetesObject');
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(schema, 'kubernetes');
    for (const kind of ['Deployment', 'HorizontalPodAutoscaler', 'ConfigMap', 'Service', 'ServiceAccount', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget']) {
      const validate = ajv.getSchema(`kubernetes#/definitions/${kind}`);
      if (validate === undefined) throw new Error(`kubernetes-types has no ${kind}`);
      this.byKind.set(kind, validate);
    }
    this.byKind.set('ExternalSecret', ajv.compile(externalSecretSchema));
    this.byKind.set('PodMonitor', ajv.compile(podMonitorSchema));
    this.byKind.set('PrometheusRule', ajv.compile(prometheusRuleSchema));
  }

  /** The problems found, e.g. `/spec/template/spec/containers/0: must NOT have additional properties (livenesProbe)`. */
  problems(object: RenderedObject): string[] {
    const validate = this.byKind.get(object.kind);
    if (validate === undefined) return [`no strict schema for kind ${object.kind}`];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((error) => {
      const extra = 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
      return `${error.instancePath || '/'}: ${error.message ?? 'invalid'}${extra}`;
    });
  }
}
