/**
 * Criticality classes after the SRE book (ch. 21, "Handling Overload"): under pressure `sheddable`
 * work goes first, `critical` last. Routes without a class are `default`.
 */
export type CriticalityLevel = 'critical' | 'default' | 'sheddable';

/** How much pressure each class tolerates, as a multiple of the `sheddable` thresholds. */
export const PRESSURE_TOLERANCE: Readonly<Record<CriticalityLevel, number>> = { sheddable: 1, default: 2, critical: 4 };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Copied from `@Criticality` when the route is registered (see LoadSheddingHook). */
    criticality?: CriticalityLevel;
    /** Probes and /metrics: never shed. */
    shedExempt?: boolean;
  }
}
