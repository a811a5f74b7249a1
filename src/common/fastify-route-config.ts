/**
 * What `@RouteConfig()` of @nestjs/platform-fastify writes: Nest hands it to Fastify as the route's
 * `config`. The handler Fastify sees for a route with path parameters is a wrapper without the
 * method's metadata (the adapter's requireNonEmptyParams), so route config is the reliable carrier
 * of per-route settings that Fastify hooks and parsers read.
 */
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/** Adds to a handler's route config instead of replacing it, so decorators compose. */
export function mergeRouteConfig(method: object, config: Record<string, unknown>): void {
  const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, method) as Record<string, unknown> | undefined) ?? {};
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...existing, ...config }, method);
}
