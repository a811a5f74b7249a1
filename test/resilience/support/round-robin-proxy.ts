import { Agent, createServer, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

interface Backend {
  base: string;
  ready: boolean;
  watching: boolean;
  watcher?: Promise<void>;
}

const PROBE_TIMEOUT_MS = 1_000;
/** Headers of one connection, not of the message (RFC 9110 §7.6.1): a proxy must not forward them. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * What a Kubernetes Service and its endpoints do for the pods behind it, small enough to read:
 * requests go round-robin to the backends whose readiness last answered 200, checked every
 * `pollMs`; a backend is added not ready and joins after its first 200. It never retries: a
 * request that fails at a backend fails for the client (502), so the client sees every failure.
 */
export class RoundRobinProxy {
  private readonly backends: Backend[] = [];
  private readonly agent = new Agent({ keepAlive: true });
  private next = 0;
  /** Requests sent to each backend, by its base URL. */
  readonly routed = new Map<string, number>();
  /** What went wrong between the proxy and a backend, to say why a client saw a failure. */
  readonly upstreamErrors: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly pollMs: number,
  ) {}

  static async start(pollMs = 100): Promise<RoundRobinProxy> {
    let proxy: RoundRobinProxy | undefined;
    const server = createServer((request, response) => proxy?.forward(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
    proxy = new RoundRobinProxy(server, `http://127.0.0.1:${address.port}`, pollMs);
    return proxy;
  }

  add(base: string): void {
    const backend: Backend = { base, ready: false, watching: true };
    backend.watcher = this.watch(backend);
    this.backends.push(backend);
  }

  /** Takes a backend out of the rotation, like a deleted pod's endpoint. */
  async remove(base: string): Promise<void> {
    const backend = this.backends.find((candidate) => candidate.base === base);
    if (backend === undefined) return;
    this.backends.splice(this.backends.indexOf(backend), 1);
    backend.watching = false;
    await backend.watcher;
  }

  isReady(base: string): boolean {
    return this.backends.some((backend) => backend.base === base && backend.ready);
  }

  async stop(): Promise<void> {
    await Promise.all(this.backends.map((backend) => this.remove(backend.base)));
    this.agent.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async watch(backend: Backend): Promise<void> {
    while (backend.watching) {
      const status = await fetch(`${backend.base}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
        (response) => response.status,
        () => 0,
      );
      backend.ready = status === 200;
      await sleep(this.pollMs, undefined, { ref: false });
    }
  }

  private pick(): Backend | undefined {
    const ready = this.backends.filter((backend) => backend.ready);
    if (ready.length === 0) return undefined;
    this.next = (this.next + 1) % ready.length;
    return ready[this.next];
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const backend = this.pick();
    if (backend === undefined) {
      response.writeHead(502).end('no ready backend');
      return;
    }
    this.routed.set(backend.base, (this.routed.get(backend.base) ?? 0) + 1);
    const target = new URL(request.url ?? '/', backend.base);
    // The backend's `Keep-Alive: timeout=72` forwarded would let the client reuse a connection
    // this server closes after its own keep-alive timeout: a failure of the proxy, not the backend.
    const upstream = httpRequest(target, { method: request.method, headers: endToEnd(request.headers), agent: this.agent }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
      answer.pipe(response);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      this.upstreamErrors.push(`${backend.base} ${request.method} ${request.url}: ${error.code ?? error.message}${response.headersSent ? ' (after the headers)' : ''}`);
      if (response.headersSent) response.destroy(error);
      else response.writeHead(502).end(`backend ${backend.base} failed: ${error.code ?? error.message}`);
    });
    request.pipe(upstream);
  }
}
