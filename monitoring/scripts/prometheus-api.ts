/** The parts of Prometheus' HTTP API (v1) the live check uses. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RuleState {
  name: string;
  type: 'recording' | 'alerting';
  health: string;
  lastError?: string;
  lastEvaluation: string;
  query: string;
}

export interface AlertState {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

export class PrometheusApi {
  constructor(private readonly baseUrl: string) {}

  /** An instant query; throws with Prometheus' message when the expression does not parse or fails. */
  async query(expr: string): Promise<VectorSample[]> {
    const data = await this.get<{ resultType: string; result: VectorSample[] }>('/api/v1/query', { query: expr });
    if (data.resultType !== 'vector') throw new Error(`expected a vector from ${expr}, got ${data.resultType}`);
    return data.result;
  }

  labelValues(label: string, match: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match });
  }

  async rules(): Promise<RuleState[]> {
    const data = await this.get<{ groups: Array<{ rules: RuleState[] }> }>('/api/v1/rules', {});
    return data.groups.flatMap((group) => group.rules);
  }

  async alerts(): Promise<AlertState[]> {
    return (await this.get<{ alerts: AlertState[] }>('/api/v1/alerts', {})).alerts;
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}?${new URLSearchParams(params).toString()}`);
    const body = (await response.json()) as ApiResponse<T>;
    if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.error ?? response.status}`);
    return body.data;
  }
}
