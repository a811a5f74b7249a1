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
      return;
    }
    // Class decorators run after method decorators: a method's own class is already in place.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (name !== 'constructor' && typeof method === 'function' && !Reflect.hasOwnMetadata(CRITICALITY_METADATA, method)) {
        Reflect.defineMetadata(CRITICALITY_METADATA, level, method);
      }
    }
  };
}

export function criticalityOf(handler: unknown): CriticalityLevel | undefined {
  return typeof handler === 'function' ? (Reflect.getMetadata(CRITICALITY_METADATA, handler) as CriticalityLevel | undefined) : undefined;
}
