import { parsePrometheusText, type Sample, valueOf } from '../../helpers/prometheus-text';

/** One scrape of the service's /metrics, as Prometheus takes it. */
export async function scrape(base: string): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

/** The value of one series in a fresh scrape; fails when the series is missing. */
export async function scrapedValue(base: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const value = valueOf(await scrape(base), name, labels);
  if (value === undefined) throw new Error(`/metrics has no ${name} ${JSON.stringify(labels)}`);
  return value;
}
