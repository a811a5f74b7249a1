/** Types of scripts/helm-binary.js, for the chart tests. */
export function helmBinary(where?: { env?: Record<string, string | undefined>; platform?: string; arch?: string; root?: string }): string;
