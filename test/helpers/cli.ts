import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled entry point (dist/…) as its own process, the way npm scripts and pods do. */
export function runCompiled(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const path = join(ROOT, 'dist', script);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build (npm test does it in pretest)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The parent's environment without the variables a test must set explicitly. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(DATABASE_URL|REDIS_URL|JWT_SECRET|WEBHOOK_SECRET|STRIPE_WEBHOOK_SECRET|NODE_ENV|npm_config_)/.test(name)) delete env[name];
  }
  return env;
}
