import { readFileSync } from 'node:fs';

/** The parts of V8's .cpuprofile (`node --cpu-prof`) this reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
}

export interface CallFrame {
  functionName: string;
  url: string;
}

export interface Category {
  name: string;
  /** Whether a frame belongs to the category: its own code, and what it calls until it hands over. */
  owns: (frame: CallFrame) => boolean;
}

/**
 * The share of its CPU a process spent in each category while `marker` (a function name) was on
 * the stack somewhere: from the first to the last sample holding it, idle samples left out. Each
 * sample goes to the innermost frame on its stack that a category owns, looking outwards from the
 * running function and stopping at a frame for which `handsOver` is true (a callback chain's
 * continuation: a hook that calls `done()` runs the next hook inside its own frame, which is not
 * its cost). A sample no category claims goes to `otherwise(running function)`. Samples are
 * counted, not weighted by the time since the previous one: while the process waits for the CPU
 * no sample is taken, and that wait would land on whatever ran next.
 */
export function attributeCpuProfile(path: string, marker: string, categories: Category[], handsOver: (frame: CallFrame) => boolean, otherwise: (frame: CallFrame) => string): Map<string, number> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stackOf = (id: number) => {
    const frames: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) frames.push((byId.get(at) as CpuProfile['nodes'][number]).callFrame);
    return frames; // the running function first
  };
  const stacks = profile.samples.map(stackOf);
  const marked = stacks.map((frames) => frames.some((frame) => frame.functionName === marker));
  const first = marked.indexOf(true);
  const last = marked.lastIndexOf(true);
  if (first === -1) throw new Error(`${path}: no sample has ${marker} on its stack`);

  const counts = new Map<string, number>();
  let total = 0;
  for (const frames of stacks.slice(first, last + 1)) {
    const running = frames[0] as CallFrame;
    if (running.functionName === '(idle)') continue;
    let category: string | undefined;
    for (const frame of frames) {
      if (handsOver(frame)) break;
      category = categories.find((candidate) => candidate.owns(frame))?.name;
      if (category !== undefined) break;
    }
    category ??= otherwise(running);
    counts.set(category, (counts.get(category) ?? 0) + 1);
    total += 1;
  }
  return new Map([...counts].map(([name, count]) => [name, count / total]));
}
