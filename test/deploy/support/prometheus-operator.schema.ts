/**
 * Strict schemas for the Prometheus Operator's PodMonitor and PrometheusRule (monitoring.coreos.com/v1),
 * limited to the fields of their CRDs that the chart uses: a misspelled field fails like it would
 * for a built-in kind. Not Kubernetes built-ins, so neither kubernetes-models nor kubernetes-types knows them.
 */
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const duration = { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' };
const metadata = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }, labels: stringMap, annotations: stringMap },
};

export const podMonitorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'PodMonitor' },
    metadata,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['selector', 'podMetricsEndpoints'],
      properties: {
        jobLabel: { type: 'string' },
        podTargetLabels: { type: 'array', items: { type: 'string' } },
        namespaceSelector: {
          type: 'object',
          additionalProperties: false,
          properties: { any: { type: 'boolean' }, matchNames: { type: 'array', items: { type: 'string' } } },
        },
        selector: { type: 'object', additionalProperties: false, properties: { matchLabels: stringMap } },
        podMetricsEndpoints: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { port: { type: 'string' }, path: { type: 'string' }, interval: duration, scrapeTimeout: duration },
          },
        },
      },
    },
  },
};

const rule = {
  type: 'object',
  additionalProperties: false,
  required: ['expr'],
  oneOf: [{ required: ['record'] }, { required: ['alert'] }],
  properties: {
    record: { type: 'string' },
    alert: { type: 'string' },
    expr: { type: 'string', minLength: 1 },
    for: duration,
    labels: stringMap,
    annotations: stringMap,
  },
};

export const prometheusRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'PrometheusRule' },
    metadata,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['groups'],
      properties: {
        groups: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'rules'],
            properties: { name: { type: 'string' }, interval: duration, rules: { type: 'array', items: rule } },
          },
        },
      },
    },
  },
};
