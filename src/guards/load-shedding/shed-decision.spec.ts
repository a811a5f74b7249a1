import type { LoadSheddingConfig } from '../../config/app-config';
import { type LoadSignals, shedReason } from './shed-decision';

const thresholds: LoadSheddingConfig = { loopDelayMs: 50, maxInFlight: 100, heapPercent: 90, rssPercent: 80 };
const calm: LoadSignals = { loopBusyMs: 0, inFlight: 0, heapPercent: 10, rssPercent: 10 };

describe('shedReason', () => {
  it('admits everything when the process is calm', () => {
    expect(['sheddable', 'default', 'critical'].map((level) => shedReason(level as 'default', calm, thresholds))).toEqual([undefined, undefined, undefined]);
  });

  it('sheds sheddable work first and critical work last as the loop stays busy longer', () => {
    const at = (loopBusyMs: number) => (['sheddable', 'default', 'critical'] as const).map((level) => shedReason(level, { ...calm, loopBusyMs }, thresholds) ?? 'admit');
    expect(at(49)).toEqual(['admit', 'admit', 'admit']);
    expect(at(50)).toEqual(['event_loop_busy', 'admit', 'admit']);
    expect(at(100)).toEqual(['event_loop_busy', 'event_loop_busy', 'admit']);
    expect(at(200)).toEqual(['event_loop_busy', 'event_loop_busy', 'event_loop_busy']);
  });

  it('sheds by requests in flight with the same ordering', () => {
    expect(shedReason('sheddable', { ...calm, inFlight: 100 }, thresholds)).toBe('in_flight');
    expect(shedReason('default', { ...calm, inFlight: 199 }, thresholds)).toBeUndefined();
    expect(shedReason('critical', { ...calm, inFlight: 400 }, thresholds)).toBe('in_flight');
  });

  it('sheds for memory halfway to the limit for default work, and never critical work', () => {
    expect(shedReason('sheddable', { ...calm, heapPercent: 90 }, thresholds)).toBe('heap');
    expect(shedReason('default', { ...calm, heapPercent: 94 }, thresholds)).toBeUndefined();
    expect(shedReason('default', { ...calm, heapPercent: 95 }, thresholds)).toBe('heap');
    expect(shedReason('default', { ...calm, rssPercent: 90 }, thresholds)).toBe('rss');
    expect(shedReason('critical', { ...calm, heapPercent: 99, rssPercent: 99 }, thresholds)).toBeUndefined();
  });
});
