import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What follows `node` in package.json's `start` script: the node flags production runs the service
 * with, then its entry point (relative to the checkout). The Dockerfile's CMD repeats it
 * (test/deploy/dockerfile.spec.ts holds them equal), and tests and benches start the service with it,
 * so a flag that changes the service's behaviour or latency is what they run and measure.
 */
export function serviceStartArgs(checkout: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(' ');
  if (command !== 'node') throw new Error(`package.json's start script does not run node directly: ${scripts.start}`);
  return args;
}
