/**
 * The few Grafana dashboard JSON shapes we generate (schemaVersion 39), and builders that lay
 * panels out left to right, row by row, so positions never need hand-editing.
 */
interface Target {
  refId: string;
  expr: string;
  legendFormat: string;
  datasource: DataSourceRef;
}

interface DataSourceRef {
  type: 'prometheus';
  uid: string;
}

interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

interface Threshold {
  color: string;
  value: number | null;
}

interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'row';
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: DataSourceRef;
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: string;
  editable: boolean;
  graphTooltip: number;
  refresh: string;
  time: { from: string; to: string };
  schemaVersion: number;
  version: number;
  templating: { list: unknown[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Panel[];
}

/** A query and how its series are named in the legend. */
export interface Query {
  expr: string;
  legend: string;
  /** A unit other than the panel's puts this query's series on a right-hand axis of its own. */
  unit?: string;
}

interface PanelSpec {
  title: string;
  description: string;
  queries: Query[];
  unit: string;
  /** Width in grid columns (of 24). */
  width: number;
  kind?: 'timeseries' | 'stat';
  thresholds?: Threshold[];
  min?: number;
  max?: number;
  /** Value mappings for state-like gauges (health status). */
  mappings?: unknown[];
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
const PANEL_HEIGHT = { timeseries: 8, stat: 4 } as const;

export function layout(rows: RowSpec[]): Panel[] {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const spec of row.panels) {
      const kind = spec.kind ?? 'timeseries';
      if (x + spec.width > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(panel(id++, spec, { h: PANEL_HEIGHT[kind], w: spec.width, x, y }));
      x += spec.width;
      rowHeight = Math.max(rowHeight, PANEL_HEIGHT[kind]);
    }
    y += rowHeight;
  }
  return panels;
}

function panel(id: number, spec: PanelSpec, gridPos: GridPos): Panel {
  const kind = spec.kind ?? 'timeseries';
  const defaults: Record<string, unknown> = {
    unit: spec.unit,
    thresholds: { mode: 'absolute', steps: spec.thresholds ?? [{ color: 'green', value: null }] },
    color: { mode: kind === 'stat' ? 'thresholds' : 'palette-classic' },
  };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (spec.mappings !== undefined) defaults.mappings = spec.mappings;
  if (kind === 'timeseries' && spec.thresholds !== undefined) defaults.custom = { thresholdsStyle: { mode: 'dashed' } };
  return {
    id,
    type: kind,
    title: spec.title,
    description: spec.description,
    gridPos,
    datasource: DATASOURCE,
    targets: spec.queries.map((query, index) => ({
      refId: String.fromCharCode(65 + index),
      expr: query.expr,
      legendFormat: query.legend,
      datasource: DATASOURCE,
    })),
    fieldConfig: { defaults, overrides: rightAxisOverrides(spec) },
    options:
      kind === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area', textMode: 'auto' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

function rightAxisOverrides(spec: PanelSpec): unknown[] {
  return spec.queries.flatMap((query, index) =>
    query.unit === undefined || query.unit === spec.unit
      ? []
      : [{
          matcher: { id: 'byFrameRefID', options: String.fromCharCode(65 + index) },
          properties: [{ id: 'unit', value: query.unit }, { id: 'custom.axisPlacement', value: 'right' }],
        }],
  );
}
