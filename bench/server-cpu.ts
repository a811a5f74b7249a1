import { readdirSync, readFileSync } from 'node:fs';
import { pipelinedLoad } from './pipelined-load';

/** /proc/<pid>/stat counts in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
const TICK_NS = 10_000_000;

/**
 * CPU time `pid` has used so far (all its threads, user and system), in nanoseconds: the sum of
 * each thread's /proc/<pid>/task/<tid>/schedstat, else /proc/<pid>/stat's utime + stime in ticks.
 * Linux only. Read from outside, it adds nothing to what it measures.
 */
export function processCpuNanoseconds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]), 0);
  } catch {
    // After the command name in parentheses (which may hold spaces): utime and stime are fields 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_NS;
  }
}

/** The CPU `pid` uses per second while it serves nothing: its timers, pools and job polling. */
export async function idleCpuPerSecond(pid: number, seconds: number): Promise<number> {
  const before = processCpuNanoseconds(pid);
  await new Promise((done) => setTimeout(done, seconds * 1000));
  return (processCpuNanoseconds(pid) - before) / 1e9 / seconds;
}

export interface CpuSample {
  /** CPU seconds the server process used while the requests ran. */
  cpuSeconds: number;
  seconds: number;
  requests: number;
  non2xx: number;
}

/** Loads `url` for `seconds` (pipelined-load.ts) and reads the CPU time the server process `pid` spent meanwhile. */
export async function serverCpuUnderLoad(url: string, pid: number, seconds: number): Promise<CpuSample> {
  const cpuBefore = processCpuNanoseconds(pid);
  const startedAt = performance.now();
  const { requests, non2xx } = await pipelinedLoad(url, seconds);
  return { cpuSeconds: (processCpuNanoseconds(pid) - cpuBefore) / 1e9, seconds: (performance.now() - startedAt) / 1000, requests, non2xx };
}

/**
 * The server's CPU time per request in µs, less `idlePerSecond` for every second that passed (what
 * it spends serving nothing). A server's CPU per request does not depend on how fast the load
 * generator is, nor much on other processes (while it waits for the CPU its clock stops), which a
 * ratio of throughputs does: that measures the slower of server and generator.
 */
export function cpuMicrosecondsPerRequest(sample: CpuSample, idlePerSecond = 0): number {
  return ((sample.cpuSeconds - idlePerSecond * sample.seconds) * 1e6) / Math.max(sample.requests, 1);
}
