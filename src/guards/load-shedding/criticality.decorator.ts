import { mergeRouteConfig } from '../../common/fastify-route-config';
import type { CriticalityLevel } from './criticality-level';

export const CRITICALITY_METADATA = 'compliance:criticality';

/**
 * `@Criticality('sheddable')`: what an overloaded instance refuses first. On a controller it sets
 * the class of every route that has none of its own. Read once per route at registration, so
 * deciding on each request costs a property lookup (see LoadSheddingHook).
 */
export function Criticality(level: CriticalityLevel): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor !== undefined) {
      Reflect.defineMetadata(CRITICALITY_METADATA, level, descriptor.value as object);
      mergeRouteConfig(descriptor.value as object, { criticality: level });
      return;
    }
    // Class decorators run after method decorators: a method's own class is already in place.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (name !== 'constructor' && typeof method === 'function' && !Reflect.hasOwnMetadata(CRITICALITY_METADATA, method)) {
        Reflect.defineMetadata(CRITICALITY_METADATA, level, method);
        mergeRouteConfig(method, { criticality: level });
      }
    }
  };
}


/**
 * `@NeverShed()`: the route is answered however loaded the instance is, like the probes. For the
 * few reads whose refusal costs more than the load they add (payout eligibility: a refused answer
 * stops a venue's payout).
 */
export function NeverShed(): MethodDecorator {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor) => {
    mergeRouteConfig(descriptor.value as object, { shedExempt: true });
  };
}
