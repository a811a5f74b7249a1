/**
 * What our dashboards share, on Grafana's typed SDK: the data-source and namespace variables, stat
 * and time-series panels on Prometheus queries, and rows laid out left to right (the SDK places a
 * panel after the previous one and wraps at 24 columns), so positions never need hand-editing.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  type DashboardBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** A query and how its series are named in the legend. */
export interface Query {
  expr: string;
  legend: string;
  /** A unit other than the panel's puts this query's series on a right-hand axis of its own. */
  unit?: string;
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  /** Width in grid columns (of 24). */
  width: number;
  queries: Query[];
  /** Green below the first step's value, then each step's colour. */
  thresholds?: Threshold[];
  min?: number;
  max?: number;
  /** Value mappings for state-like gauges (health status). */
  mappings?: ValueMapping[];
}

type Panel = StatPanelBuilder | TimeseriesPanelBuilder;

/** What every panel carries, whatever its kind. */
function configure<P extends Panel>(panel: P, spec: PanelSpec, height: number): P {
  panel
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width)
    .height(height)
    .targets(
      spec.queries.map((query, index) =>
        new DataqueryBuilder().refId(refId(index)).expr(query.expr).legendFormat(query.legend).datasource(DATASOURCE),
      ),
    )
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(spec.thresholds ?? [{ color: 'green', value: null }]));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.mappings !== undefined) panel.mappings(spec.mappings);
  spec.queries.forEach((query, index) => {
    if (query.unit !== undefined && query.unit !== spec.unit) {
      panel.overrideByQuery(refId(index), [{ id: 'unit', value: query.unit }, { id: 'custom.axisPlacement', value: 'right' }]);
    }
  });
  return panel;
}

const refId = (index: number) => String.fromCharCode(65 + index);

export function timeseries(spec: PanelSpec): TimeseriesPanelBuilder {
  const panel = configure(new TimeseriesPanelBuilder(), spec, 8)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  return spec.thresholds === undefined ? panel : panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

export function stat(spec: PanelSpec, textMode = common.BigValueTextMode.Auto): StatPanelBuilder {
  return configure(new StatPanelBuilder(), spec, 4)
    .colorMode(common.BigValueColorMode.Background)
    .textMode(textMode)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export interface Section {
  title: string;
  panels: Panel[];
}

/**
 * Expanded rows with their panels after them at the top level: Grafana strips panels nested in a
 * row unless it is collapsed. Ids are set because rows and panels share one id space.
 */
export function withSections(dashboard: DashboardBuilder, sections: Section[]): DashboardBuilder {
  let id = 1;
  for (const section of sections) {
    dashboard.withRow(new RowBuilder(section.title).collapsed(false).id(id++));
    for (const panel of section.panels) dashboard.withPanel(panel.id(id++));
  }
  return dashboard;
}

export const datasourceVariable = () => new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');

/** A `label_values` query variable, refreshed with the time range. */
export function labelValuesVariable(name: string, label: string, definition: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(definition)
    .definition(definition)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

export const namespaceVariable = () => labelValuesVariable('namespace', 'Namespace', 'label_values(up{job="compliance-service"}, namespace)');
