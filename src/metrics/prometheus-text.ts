/** One sample of the Prometheus text exposition format: `name{label="value",…} value [timestamp]`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
/** Prometheus reads values with Go's strconv.ParseFloat: Inf and NaN in any case (prom-client writes `Nan`). */
const SPECIAL_VALUE = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Parses a scrape into samples (the smoke suite's `/metrics` check and the tests); comment lines
 * (HELP, TYPE) are skipped. Throws on the first line that is not a sample or whose value is not a
 * number, the way Prometheus fails a scrape.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`Not a Prometheus sample line: ${line}`);
    const value = sampleValue(match[3] as string);
    if (value === undefined) throw new Error(`Not a Prometheus sample value: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, labelValue] of (match[2] ?? '').matchAll(LABEL_PAIR)) {
      labels[key as string] = (labelValue as string).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

function sampleValue(raw: string): number | undefined {
  const special = SPECIAL_VALUE.exec(raw);
  if (special) return (special[2] as string).toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  const value = Number(raw);
  return Number.isNaN(value) ? undefined : value;
}

/** The samples named `name` whose labels include every pair of `labels`. */
export function samplesOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

/** The value of the one sample matching, or undefined when there is none; throws when several match. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samplesOf(samples, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
