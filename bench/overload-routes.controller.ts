import { Controller, Get, Query } from '@nestjs/common';
import { Criticality } from '../src/guards/load-shedding/criticality.decorator';

/** Deterministic "names on a list" to screen against, as sanctions screening does. */
const LIST = Array.from({ length: 4_000 }, (_, index) => `entity-${(index * 7919).toString(36)}-${(index * 104_729).toString(36)}`);

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Bench-only: a CPU-bound, sheddable route shaped like fuzzy screening of one name against a list
 * (`entries` of it), a few milliseconds of pure JavaScript per request.
 */
@Controller('bench')
export class OverloadRoutesController {
  @Get('screen')
  @Criticality('sheddable')
  screen(@Query('name') name = 'entity-zz-yy', @Query('entries') entries = '1000'): { closest: number } {
    let closest = Number.POSITIVE_INFINITY;
    for (const candidate of LIST.slice(0, Number(entries))) closest = Math.min(closest, editDistance(name, candidate));
    return { closest };
  }
}
