import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { buildDataSourceOptions } from '../../database/data-source.options';
import type { ComponentHealth } from '../component-health';

/**
 * Pings PostgreSQL through Terminus's TypeORM indicator, on a dedicated one-connection DataSource:
 * probes never wait behind request traffic for a pool slot, and pg's own connect and query
 * timeouts end every ping just before Terminus gives up on it, so a hung server cannot pile up
 * pings in the background.
 */
@Injectable()
export class DatabaseHealthIndicator implements OnApplicationShutdown {
  private dataSource: DataSource | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.timeoutMs = config.get('health', { infer: true }).databaseTimeoutMs;
  }

  async check(): Promise<ComponentHealth> {
    let connection: DataSource;
    try {
      connection = await this.connection();
    } catch (error) {
      return { status: 'unhealthy', error: `cannot connect: ${describe(error)}` };
    }
    const result = await this.typeOrm.pingCheck('database', { connection, timeout: this.timeoutMs });
    const { status, responseTime, message } = result.database as { status: string; responseTime: number; message?: string };
    return status === 'up'
      ? { status: 'healthy', latencyMs: responseTime }
      : { status: 'unhealthy', latencyMs: responseTime, error: message ?? 'ping failed' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dataSource?.destroy().catch(() => undefined);
    this.dataSource = undefined;
  }

  private async connection(): Promise<DataSource> {
    if (this.dataSource?.isInitialized) return this.dataSource;
    const database = this.config.get('database', { infer: true });
    const bound = Math.max(this.timeoutMs - 50, 10);
    const options = buildDataSourceOptions(database, database.url as string, { role: 'app' });
    const dataSource = new DataSource({
      ...options,
      poolSize: 1,
      connectTimeoutMS: bound,
      extra: { ...(options.extra as object), query_timeout: bound },
    } as typeof options);
    try {
      await dataSource.initialize();
    } catch (error) {
      await dataSource.destroy().catch(() => undefined);
      throw error;
    }
    this.dataSource = dataSource;
    return dataSource;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
