import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const FLAG_EVALUATIONS = 'feature_flag_evaluations_total';

export const flagMetricProviders = [
  makeCounterProvider({
    name: FLAG_EVALUATIONS,
    help: 'Feature flag evaluations by flag and result (enabled, disabled, error)',
    labelNames: ['flag', 'result'],
  }),
];
