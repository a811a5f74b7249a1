import { connect, type Socket } from 'node:net';

export interface PipelinedLoadResult {
  requests: number;
  non2xx: number;
}

/** Counts the complete responses at the start of `buffer` (each with a content-length) and what is left. */
function takeResponses(buffer: Buffer): { statuses: number[]; rest: Buffer } {
  const statuses: number[] = [];
  let offset = 0;
  for (;;) {
    const headEnd = buffer.indexOf('\r\n\r\n', offset);
    if (headEnd === -1) break;
    const head = buffer.toString('latin1', offset, headEnd);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
    if (Number.isNaN(length)) throw new Error(`a response without content-length: ${head.split('\r\n')[0]}`);
    if (buffer.length < headEnd + 4 + length) break;
    statuses.push(Number(head.slice(9, 12)));
    offset = headEnd + 4 + length;
  }
  return { statuses, rest: buffer.subarray(offset) };
}

/**
 * Load in fixed batches: each of `connections` keep-alive connections writes `depth` GETs in one
 * go (HTTP/1.1 pipelining), waits for all their responses, and starts again, until `seconds` have
 * passed. With one connection the server wakes to exactly `depth` requests each time, whatever the
 * speed of this generator, so the CPU it spends per request does not depend on how much CPU the
 * generator got (one request per wake-up costs more to wake for than a probe's work, and how many
 * requests share a wake-up under a closed loop depends on the generator).
 */
export async function pipelinedLoad(url: string, seconds: number, connections = 1, depth = 32): Promise<PipelinedLoadResult> {
  const target = new URL(url);
  const batch = Buffer.from(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`.repeat(depth), 'latin1');
  const deadline = performance.now() + seconds * 1000;
  const result: PipelinedLoadResult = { requests: 0, non2xx: 0 };
  const drive = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      let pending: Buffer = Buffer.alloc(0);
      let awaited = depth;
      socket.on('data', (chunk: Buffer) => {
        const { statuses, rest } = takeResponses(pending.length === 0 ? chunk : Buffer.concat([pending, chunk]));
        pending = rest;
        awaited -= statuses.length;
        result.requests += statuses.length;
        result.non2xx += statuses.filter((status) => status < 200 || status > 299).length;
        if (awaited > 0) return;
        if (performance.now() >= deadline) {
          socket.end();
          resolve();
          return;
        }
        awaited = depth;
        socket.write(batch);
      });
      socket.on('error', reject);
      socket.write(batch);
    });
  const sockets = Array.from({ length: connections }, () => connect(Number(target.port), target.hostname));
  try {
    await Promise.all(sockets.map(drive));
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  return result;
}
