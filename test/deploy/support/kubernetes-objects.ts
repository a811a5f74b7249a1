/**
 * The kinds the chart renders, as kubernetes-types declares them. ts-json-schema-generator turns
 * this union into a JSON schema whose objects allow no unknown property (additionalProperties:
 * false), which catches a misspelled field such as `livenesProbe` that kubernetes-models accepts.
 * ExternalSecret is not a Kubernetes type: external-secret.schema.ts covers it.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { ConfigMap, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { Ingress, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';

export type KubernetesObject =
  | Deployment
  | HorizontalPodAutoscaler
  | ConfigMap
  | Service
  | ServiceAccount
  | Ingress
  | NetworkPolicy
  | PodDisruptionBudget;
