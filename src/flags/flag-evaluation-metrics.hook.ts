import { Injectable } from '@nestjs/common';
import type { EvaluationDetails, FlagValue, Hook, HookContext } from '@openfeature/server-sdk';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { isFlagName } from './flag-names';
import { FLAG_EVALUATIONS } from './flag.metrics';

/** Counts every evaluation through OpenFeature's hook API. Unknown keys share one label value. */
@Injectable()
export class FlagEvaluationMetricsHook implements Hook {
  constructor(@InjectMetric(FLAG_EVALUATIONS) private readonly evaluations: Counter<'flag' | 'result'>) {}

  finally(hookContext: Readonly<HookContext>, details: EvaluationDetails<FlagValue>): void {
    const flag = isFlagName(hookContext.flagKey) ? hookContext.flagKey : 'unknown';
    const result = details.errorCode !== undefined ? 'error' : details.value === true ? 'enabled' : 'disabled';
    this.evaluations.inc({ flag, result });
  }
}
