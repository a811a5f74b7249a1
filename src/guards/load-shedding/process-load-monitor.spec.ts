import { EventEmitter } from 'node:events';
import { ProcessLoadMonitor } from './process-load-monitor';

describe('ProcessLoadMonitor', () => {
  let monitor: ProcessLoadMonitor;
  beforeEach(() => {
    monitor = new ProcessLoadMonitor();
    monitor.onModuleInit();
  });
  afterEach(() => monitor.onApplicationShutdown());

  it('reads a turn that has run for a while as busy for at least that long', () => {
    const until = performance.now() + 60;
    while (performance.now() < until);
    // No timer can run inside this synchronous turn, so the mark is at least 60 ms old.
    expect(monitor.signals().loopBusyMs).toBeGreaterThanOrEqual(60);
  });

  it('counts a tracked response in flight until it closes', () => {
    const response = new EventEmitter();
    monitor.track(response);
    monitor.track(new EventEmitter());
    expect(monitor.signals().inFlight).toBe(2);
    response.emit('close');
    expect(monitor.signals().inFlight).toBe(1);
  });

  it('reads heap and resident memory as percentages', () => {
    const { heapPercent, rssPercent } = monitor.signals();
    expect(heapPercent).toBeGreaterThan(0);
    expect(heapPercent).toBeLessThan(100);
    expect(rssPercent).toBeGreaterThan(0);
  });
});
