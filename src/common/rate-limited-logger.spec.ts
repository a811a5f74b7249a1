import { RateLimitedLogger } from './rate-limited-logger';

class RecordingLogger {
  readonly lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', fields, message });
  }
  log(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'log', fields, message });
  }
}

describe('RateLimitedLogger', () => {
  let clock: number;
  let sink: RecordingLogger;
  let logger: RateLimitedLogger;
  beforeEach(() => {
    clock = 10_000;
    sink = new RecordingLogger();
    logger = new RateLimitedLogger(sink, 1_000, () => clock);
  });

  it('logs the first occurrence at once and suppresses the rest of the interval', () => {
    for (let i = 0; i < 500; i += 1) {
      logger.warn('event_loop_busy', 'Shedding load', { reason: 'event_loop_busy' });
      clock += 1;
    }
    expect(sink.lines).toEqual([{ level: 'warn', fields: { reason: 'event_loop_busy', key: 'event_loop_busy', suppressed: 0 }, message: 'Shedding load' }]);
  });

  it('reports how many were suppressed on the next line after the interval', () => {
    logger.warn('k', 'Refused');
    clock += 400;
    logger.warn('k', 'Refused');
    logger.warn('k', 'Refused');
    clock += 599;
    logger.warn('k', 'Refused');
    clock += 1;
    logger.warn('k', 'Refused');
    expect(sink.lines.map((line) => [line.message, line.fields.suppressed])).toEqual([
      ['Refused', 0],
      ['Refused (3 more since the previous line)', 3],
    ]);
  });

  it('limits each key on its own', () => {
    logger.warn('heap', 'Shedding');
    logger.warn('in_flight', 'Shedding');
    logger.warn('heap', 'Shedding');
    logger.log('privacy:queue_full', 'Refused');
    expect(sink.lines.map((line) => [line.level, line.fields.key])).toEqual([
      ['warn', 'heap'],
      ['warn', 'in_flight'],
      ['log', 'privacy:queue_full'],
    ]);
  });

  it('logs again with a zero count once a quiet interval has passed', () => {
    logger.warn('k', 'Refused');
    clock += 5_000;
    logger.warn('k', 'Refused');
    expect(sink.lines.map((line) => line.fields.suppressed)).toEqual([0, 0]);
  });
});
