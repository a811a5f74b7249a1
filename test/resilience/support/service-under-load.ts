import type { ServiceProcess } from '../../helpers/service-process';
import { complianceTraffic, type ComplianceTraffic } from './compliance-traffic';
import { FixedRateTraffic } from './fixed-rate-traffic';
import { ProbeWatch } from './probe-watch';
import { loadSanctionsList, startSuiteService } from './suite-service';

/**
 * One service process with the compliance traffic and probe watch a scenario puts on it, stopped
 * together whatever state a failed test left them in (a traffic loop left running would keep Jest
 * from exiting).
 */
export class ServiceUnderLoad {
  private traffic: FixedRateTraffic | undefined;
  private probes: ProbeWatch | undefined;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    readonly service: ServiceProcess,
    readonly base: string,
  ) {
    void service.exited.then((exit) => (this.exit = exit));
  }

  /** The service (startSuiteService's settings plus `env`), with the OFAC fixture loaded for screenings. */
  static async start(env: NodeJS.ProcessEnv = {}, args?: string[]): Promise<ServiceUnderLoad> {
    await loadSanctionsList();
    const { service, base } = await startSuiteService(env, args);
    return new ServiceUnderLoad(service, base);
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Undefined while the process runs; once it has exited on its own, how and its last output lines. */
  get crash(): string | undefined {
    if (this.exit === undefined) return undefined;
    return `exited ${JSON.stringify(this.exit)}; last output:\n${this.service.output.join('').split('\n').slice(-40).join('\n')}`;
  }

  /** The service's warnings and errors (the scenarios run it at LOG_LEVEL=warn), to say why calls failed. */
  warnings(last = 20): string[] {
    return this.service.output.join('').split('\n').filter((line) => line.startsWith('{') && !line.includes('"context":"Request"')).slice(-last);
  }

  /** Starts `ratePerSecond` of compliance traffic and a watch of both probes on the traffic's clock. */
  async startTraffic(ratePerSecond: number, { auditVerify = false } = {}): Promise<{ traffic: FixedRateTraffic; probes: ProbeWatch; mix: ComplianceTraffic }> {
    const mix = await complianceTraffic(this.base, { auditVerify });
    const traffic = new FixedRateTraffic(this.base, mix.operations, ratePerSecond);
    const probes = new ProbeWatch(this.base, ['/health/ready', '/health/live'], () => traffic.elapsedMs);
    this.traffic = traffic;
    this.probes = probes;
    traffic.start();
    probes.start();
    return { traffic, probes, mix };
  }

  /** Stops traffic and probes, then the service with SIGTERM; resolves with how it exited. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await this.traffic?.stop();
    await this.probes?.stop();
    if (this.running) this.service.kill('SIGTERM');
    return this.service.exited;
  }
}
