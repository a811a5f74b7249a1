import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { SanctionsSourceDownloadError } from './sanctions-source-download.error';

export interface DownloadLimits {
  /** Headers and body together. */
  timeoutMs: number;
  maxBytes: number;
}

/** Raised inside the stream when the body passes the cap; reported as a download error. */
class DownloadTooLargeError extends Error {}

/**
 * Fetches one list file over HTTP(S) with Node's fetch and streams it to disk: one timeout covers
 * the answer and the whole body (the signal aborts the body stream too), and a body over
 * `maxBytes` is cut off as it arrives rather than after it filled the disk or the heap.
 */
@Injectable()
export class SanctionsSourceDownloader {
  /** Writes `url`'s body to `target`; answers its size in bytes. */
  async download(url: URL, target: string, limits: DownloadLimits): Promise<number> {
    const file = basename(target);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs) });
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        throw new SanctionsSourceDownloadError(file, `the server answered HTTP ${response.status}${response.body === null ? ' without a body' : ''}`);
      }
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > limits.maxBytes) {
        await response.body.cancel();
        throw new SanctionsSourceDownloadError(file, `it is ${declared} bytes, over SANCTIONS_SOURCE_MAX_BYTES (${limits.maxBytes})`);
      }
      let bytes = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
          bytes += chunk.length;
          done(bytes > limits.maxBytes ? new DownloadTooLargeError() : null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(response.body), cap, createWriteStream(target));
      return bytes;
    } catch (error) {
      throw error instanceof SanctionsSourceDownloadError ? error : new SanctionsSourceDownloadError(file, reasonOf(error, limits), { cause: error });
    }
  }
}

function reasonOf(error: unknown, limits: DownloadLimits): string {
  if (error instanceof DownloadTooLargeError) return `it is over SANCTIONS_SOURCE_MAX_BYTES (${limits.maxBytes})`;
  // Read by shape: fetch rejects with a DOMException, which is not an Error of every realm (Jest's).
  const failure = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (failure.name === 'TimeoutError') return `no complete answer within SANCTIONS_SOURCE_TIMEOUT_MS (${limits.timeoutMs} ms)`;
  // fetch's "fetch failed" says nothing; its cause has the system code (ECONNREFUSED, ENOTFOUND).
  if (typeof failure.cause?.code === 'string') return `the server is unreachable (${failure.cause.code})`;
  return typeof failure.name === 'string' && typeof failure.message === 'string' ? `${failure.name}: ${failure.message}` : 'the request failed';
}
