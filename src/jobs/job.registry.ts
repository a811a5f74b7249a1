import { Injectable } from '@nestjs/common';
import type { JobDefinition, JobHandler } from './job-definition';

export interface RegisteredJob {
  definition: JobDefinition<object>;
  handler: JobHandler<object>;
}

/**
 * Every job of the service. Domain providers register theirs while the app initialises
 * (constructor or onModuleInit); the engine reads the registry once, when the application has
 * bootstrapped, so registering later is a programming error.
 */
@Injectable()
export class JobRegistry {
  private readonly jobs = new Map<string, RegisteredJob>();
  private sealed = false;

  register<TData extends object>(definition: JobDefinition<TData>, handler: JobHandler<TData>): void {
    if (this.sealed) throw new Error(`Job ${definition.name} registered after the job engine started; register it while the app initialises`);
    if (this.jobs.has(definition.name)) throw new Error(`Job ${definition.name} is registered twice`);
    this.jobs.set(definition.name, { definition: definition as JobDefinition<object>, handler: handler as JobHandler<object> });
  }

  get(name: string): RegisteredJob | undefined {
    return this.jobs.get(name);
  }

  all(): RegisteredJob[] {
    return [...this.jobs.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  }

  seal(): void {
    this.sealed = true;
  }
}
