/**
 * Strict schema for the External Secrets Operator's ExternalSecret, limited to the fields of its
 * CRD (external-secrets.io v1 and v1beta1 share them) that the chart may use. Not a Kubernetes
 * built-in, so neither kubernetes-models nor kubernetes-types knows it.
 */
const labels = { type: 'object', additionalProperties: { type: 'string' } };
const duration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$' };

export const externalSecretSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { enum: ['external-secrets.io/v1', 'external-secrets.io/v1beta1'] },
    kind: { const: 'ExternalSecret' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }, labels, annotations: labels },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['secretStoreRef', 'target', 'data'],
      properties: {
        refreshInterval: duration,
        secretStoreRef: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { kind: { enum: ['SecretStore', 'ClusterSecretStore'] }, name: { type: 'string', minLength: 1 } },
        },
        target: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1 },
            creationPolicy: { enum: ['Owner', 'Orphan', 'Merge', 'None'] },
            deletionPolicy: { enum: ['Delete', 'Merge', 'Retain'] },
          },
        },
        data: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['secretKey', 'remoteRef'],
            properties: {
              secretKey: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$' },
              remoteRef: {
                type: 'object',
                additionalProperties: false,
                required: ['key'],
                properties: {
                  key: { type: 'string', minLength: 1 },
                  property: { type: 'string' },
                  version: { type: 'string' },
                  conversionStrategy: { enum: ['Default', 'Unicode'] },
                  decodingStrategy: { enum: ['Auto', 'Base64', 'Base64URL', 'None'] },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
