import { Histogram, Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS, HTTP_LABEL_NAMES } from './http-metric-names';
import { RequestDurationHistogram } from './request-duration.histogram';

/** Observations on and around every bucket boundary, over several label sets. */
function observations(): Array<[string, string, number, number]> {
  const durations = [0, 0.0001, ...HTTP_DURATION_BUCKETS.flatMap((bound) => [bound - 1e-9, bound, bound + 1e-9]), 42];
  const labelSets: Array<[string, string, number]> = [
    ['GET', '/api/v1/venues/:venueId', 200],
    ['GET', '/api/v1/venues/:venueId', 404],
    ['POST', '/api/v1/venues', 201],
    ['OTHER', 'unmatched', 404],
  ];
  return labelSets.flatMap(([method, route, status], index) => durations.slice(index).map((seconds): [string, string, number, number] => [method, route, status, seconds]));
}

function sortedLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map(normaliseLabelOrder).sort();
}

/** prom-client prints `le` first; the order of labels carries no meaning in the exposition format. */
function normaliseLabelOrder(line: string): string {
  const match = /^([^{]+)\{(.*)\} (.+)$/.exec(line);
  if (!match) return line;
  const labels = (match[2] as string).split(/,(?=[a-z_]+=")/).sort().join(',');
  return `${match[1]}{${labels}} ${match[3]}`;
}

describe('RequestDurationHistogram', () => {
  it("exposes exactly what prom-client's Histogram exposes for the same observations", async () => {
    const ours = new Registry();
    const reference = new Registry();
    const histogram = RequestDurationHistogram.registeredIn(ours);
    const promClient = new Histogram({ name: histogram.name, help: histogram.help, labelNames: HTTP_LABEL_NAMES, buckets: HTTP_DURATION_BUCKETS, registers: [reference] });
    for (const [method, route, status, seconds] of observations()) {
      histogram.observe(method, route, status, seconds);
      promClient.observe({ method, route, status_code: String(status) }, seconds);
    }
    const [ourText, referenceText] = [await ours.metrics(), await reference.metrics()];
    expect(sortedLines(ourText)).toEqual(sortedLines(referenceText));
    expect(ourText.split('\n').slice(0, 2)).toEqual(referenceText.split('\n').slice(0, 2));
  });

  it('counts requests per label set, and forgets them on reset', () => {
    const histogram = new RequestDurationHistogram();
    histogram.observe('GET', '/health/live', 200, 0.001);
    histogram.observe('GET', '/health/live', 200, 0.7);
    histogram.observe('GET', '/health/live', 503, 0.2);
    expect([...histogram.counts()]).toEqual([
      { labels: { method: 'GET', route: '/health/live', status_code: '200' }, count: 2 },
      { labels: { method: 'GET', route: '/health/live', status_code: '503' }, count: 1 },
    ]);
    histogram.reset();
    expect([...histogram.counts()]).toEqual([]);
  });

  it('is registered once per registry, however many apps ask for it', () => {
    const registry = new Registry();
    expect(RequestDurationHistogram.registeredIn(registry)).toBe(RequestDurationHistogram.registeredIn(registry));
    expect(registry.getMetricsAsArray()).toHaveLength(1);
  });
});
