import { ConfigValidationError, loadConfig } from '../config/config.loader';
import { initErrorTracking } from './error-tracking.init';

/*
 * index.ts imports this module first: Sentry's instrumentation hooks into pg and http as they are
 * loaded, so the SDK must start before the application's modules are. An invalid configuration
 * starts nothing here; bootstrap reports every problem and exits.
 */
try {
  initErrorTracking(loadConfig(process.env));
} catch (error) {
  if (!(error instanceof ConfigValidationError)) throw error;
}
