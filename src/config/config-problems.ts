import { ConfigValidationError, loadConfig } from './config.loader';

/** The problems `loadConfig` reports for `env`; throws when the configuration is accepted. For specs. */
export function configProblemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}
