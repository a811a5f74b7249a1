// The parser lives in src/metrics: the smoke suite (src/smoke) checks /metrics with it too.
export { parsePrometheusText, type Sample, samplesOf, valueOf } from '../../src/metrics/prometheus-text';
