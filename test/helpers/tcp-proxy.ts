import { createConnection, createServer, type Server, type Socket } from 'node:net';

type Mode = 'forward' | 'hang';

/**
 * A TCP proxy in front of a real server that a test can cut (connections reset, new ones refused),
 * hang (connections accepted, nothing ever answered) and restore: network faults without mocks.
 */
export class TcpProxy {
  private server: Server | undefined;
  private mode: Mode = 'forward';
  private readonly sockets = new Set<Socket>();
  connectionsAccepted = 0;

  private constructor(private readonly upstreamHost: string, private readonly upstreamPort: number, readonly port: number) {}

  static async start(upstreamHost: string, upstreamPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(upstreamHost, upstreamPort, 0);
    await proxy.listen(0);
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Resets every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Existing and new connections stay open but nothing is forwarded any more. */
  hang(): void {
    this.mode = 'hang';
    for (const socket of this.sockets) socket.unpipe();
  }

  async restore(): Promise<void> {
    this.mode = 'forward';
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) (this as { port: number }).port = address.port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.connectionsAccepted += 1;
    this.sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => this.sockets.delete(client));
    if (this.mode === 'hang') return;
    const upstream = createConnection(this.upstreamPort, this.upstreamHost);
    this.sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => this.sockets.delete(upstream));
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
