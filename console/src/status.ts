import { ApiProblem } from './api';

/** One live region announces progress and outcomes; a refusal shows the API's own words. */
export function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const status = document.getElementById('status') as HTMLElement;
  status.textContent = message;
  status.dataset.kind = kind;
}

/**
 * Runs an action with its button disabled and a progress message. On failure the problem is
 * shown and nothing else changes: forms keep what the officer typed.
 */
export async function act<T>(button: HTMLButtonElement | null, progress: string, action: () => Promise<T>): Promise<T | undefined> {
  if (button !== null) button.disabled = true;
  announce(progress);
  try {
    const result = await action();
    announce('Done.');
    return result;
  } catch (error) {
    announce(error instanceof ApiProblem ? error.message : `Unexpected error: ${String(error)}`, 'error');
    return undefined;
  } finally {
    if (button !== null) button.disabled = false;
  }
}
