import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** What the container may use, from cgroup v2 or v1; the host's figures when there is no limit. */
export interface ContainerResources {
  memoryLimitBytes: number;
  memoryLimitSource: 'cgroup' | 'host';
  cpus: number;
  cpuSource: 'cgroup' | 'host';
}

const CGROUP_ROOT = '/sys/fs/cgroup';
/** cgroup v1 reports "no limit" as a huge page-rounded number (about 2^63). */
const V1_UNLIMITED = 2 ** 60;

function readFirstLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

export function readContainerMemoryLimit(root = CGROUP_ROOT): number | undefined {
  const v2 = readFirstLine(`${root}/memory.max`);
  if (v2 !== undefined) return v2 === 'max' ? undefined : Number(v2);
  const v1 = Number(readFirstLine(`${root}/memory/memory.limit_in_bytes`));
  return Number.isFinite(v1) && v1 > 0 && v1 < V1_UNLIMITED ? v1 : undefined;
}

export function readContainerCpuLimit(root = CGROUP_ROOT): number | undefined {
  const v2 = readFirstLine(`${root}/cpu.max`);
  if (v2 !== undefined) {
    const [quota, period] = v2.split(' ');
    return quota === 'max' || quota === undefined ? undefined : Number(quota) / Number(period);
  }
  const quota = Number(readFirstLine(`${root}/cpu/cpu.cfs_quota_us`));
  const period = Number(readFirstLine(`${root}/cpu/cpu.cfs_period_us`));
  return quota > 0 && period > 0 ? quota / period : undefined;
}

export function detectContainerResources(root = CGROUP_ROOT): ContainerResources {
  const memoryLimit = readContainerMemoryLimit(root);
  const cpuLimit = readContainerCpuLimit(root);
  const hostCpus = availableParallelism();
  return {
    // A limit above the host's memory cannot be reached; the host is the real bound then.
    memoryLimitBytes: memoryLimit !== undefined ? Math.min(memoryLimit, totalmem()) : totalmem(),
    memoryLimitSource: memoryLimit !== undefined && memoryLimit < totalmem() ? 'cgroup' : 'host',
    cpus: cpuLimit !== undefined ? Math.min(cpuLimit, hostCpus) : hostCpus,
    cpuSource: cpuLimit !== undefined && cpuLimit < hostCpus ? 'cgroup' : 'host',
  };
}
