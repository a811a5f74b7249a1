import type { CallFrame, Category } from './cpu-profile-attribution';

/**
 * The request hooks configureApp (src/app.factory.ts) installs, each known by the file that holds
 * it (TypeScript or compiled), in the order they run; then what else a request through Fastify
 * costs. bench/health-probes.bench.ts splits a profile of the service's /health/live route by these.
 */
export const HOOKS = [
  { name: 'metrics', file: /(src|dist)\/metrics\/(http-metrics\.(hooks|recorder)|request-duration\.histogram)\./, what: 'in-flight gauge and duration histogram (3 hooks)' },
  { name: 'request context', file: /(src|dist)\/common\/request-context\.hook\./, what: 'nestjs-cls context (probes skip it)' },
  { name: 'x-request-id header', file: /(src|dist)\/app\.factory\./, what: 'sets the response header' },
  { name: 'request log', file: /(src|dist)\/logging\/request-log\.hooks\./, what: 'one line per request (probes skip it)' },
  { name: 'keep-alive shutdown', file: /(src|dist)\/lifecycle\/keep-alive-shutdown\.hooks\./, what: 'Connection: close while closing (onSend)' },
  { name: 'authentication', file: /(src|dist)\/auth\/authentication\.hook\./, what: 'bearer token under /api/, /admin/ (probes skip it)' },
  { name: 'load shedding', file: /(src|dist)\/guards\/load-shedding\/load-shedding\.hook\./, what: 'probes are exempt' },
  { name: 'multipart', file: /node_modules\/@fastify\/multipart\//, what: "@fastify/multipart's 2 async hooks (temp-file cleanup)" },
] as const;

const ASYNC_HOOKS = /^node:(internal\/)?async_hooks$/;

export const PROBE_COST_CATEGORIES: Category[] = [
  // The hooks AsyncLocalStorage needs to follow every async resource and promise; nestjs-cls turns them on when loaded.
  { name: 'AsyncLocalStorage propagation', owns: (frame) => ASYNC_HOOKS.test(frame.url) && frame.functionName !== 'callbackTrampoline' },
  ...HOOKS.map(({ name, file }) => ({ name: `hook: ${name}`, owns: (frame: CallFrame) => file.test(frame.url) })),
  { name: 'request id (genReqId: randomUUID)', owns: (frame) => /(src|dist)\/common\/request-id\./.test(frame.url) },
  { name: "Nest adapter's 7 hooks and middie", owns: (frame) => /@nestjs\/platform-fastify\/|@fastify\/middie\//.test(frame.url) },
  { name: 'route handler (body, reply.send)', owns: (frame) => /(src|dist)\/health\/(health\.routes|health-response)\./.test(frame.url) },
];

/** A frame that hands the request on: what runs inside it is the next step's cost, not its own. */
export function handsOver(frame: CallFrame): boolean {
  return (frame.url.endsWith('fastify/lib/hooks.js') && ['next', 'handleResolve', 'handleReject'].includes(frame.functionName)) || /(src|dist)\/health\/liveness\.fast-path\./.test(frame.url);
}

/** Where an unclaimed sample's running function belongs. */
export function framework(frame: CallFrame): string {
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  if (frame.functionName === '(program)') return 'V8, unattributed';
  if (frame.url === '') return 'system calls and natives (writev, read, …)';
  if (/node_modules\/(fastify|find-my-way|@fastify|fast-|light-my-request|avvio|toad-cache)/.test(frame.url)) return 'Fastify (routing, request and reply, hook runner)';
  if (frame.url.startsWith('node:')) return 'node:http, streams, timers';
  return 'other (timers, pools, jobs)';
}
