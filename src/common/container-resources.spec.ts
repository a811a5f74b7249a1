import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readContainerCpuLimit, readContainerMemoryLimit } from './container-resources';

function fakeCgroup(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${content}\n`);
  }
  return root;
}

describe('container limits from cgroups', () => {
  it('reads cgroup v2 memory.max and cpu.max', () => {
    const root = fakeCgroup({ 'memory.max': '536870912', 'cpu.max': '50000 100000' });
    expect(readContainerMemoryLimit(root)).toBe(536_870_912);
    expect(readContainerCpuLimit(root)).toBe(0.5);
  });

  it('treats cgroup v2 "max" as no limit', () => {
    const root = fakeCgroup({ 'memory.max': 'max', 'cpu.max': 'max 100000' });
    expect(readContainerMemoryLimit(root)).toBeUndefined();
    expect(readContainerCpuLimit(root)).toBeUndefined();
  });

  it('reads cgroup v1 limits and ignores its "unlimited" sentinel', () => {
    const limited = fakeCgroup({ 'memory/memory.limit_in_bytes': '402653184', 'cpu/cpu.cfs_quota_us': '25000', 'cpu/cpu.cfs_period_us': '100000' });
    expect(readContainerMemoryLimit(limited)).toBe(402_653_184);
    expect(readContainerCpuLimit(limited)).toBe(0.25);
    const unlimited = fakeCgroup({ 'memory/memory.limit_in_bytes': '9223372036854771712', 'cpu/cpu.cfs_quota_us': '-1', 'cpu/cpu.cfs_period_us': '100000' });
    expect(readContainerMemoryLimit(unlimited)).toBeUndefined();
    expect(readContainerCpuLimit(unlimited)).toBeUndefined();
  });
});
