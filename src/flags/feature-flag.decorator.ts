import type { FlagName } from './flag-names';

export const FEATURE_FLAGS_METADATA = 'compliance:feature-flags';

/**
 * The route exists only while every named flag is on for the caller; otherwise it answers 404
 * exactly like an unknown route. On a controller it applies to every route. Repeatable: the flags
 * of the method and its controller are all required, and evaluated together in one pass.
 */
export function FeatureFlag(...flags: [FlagName, ...FlagName[]]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const existing: FlagName[] = Reflect.getMetadata(FEATURE_FLAGS_METADATA, holder) ?? [];
    Reflect.defineMetadata(FEATURE_FLAGS_METADATA, [...existing, ...flags], holder);
  };
}
