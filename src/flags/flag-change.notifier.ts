import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { IntervalWarning } from '../common/interval-warning';
import type { AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from '../redis/redis.constants';

const WARNING_INTERVAL_MS = 60_000;

export interface FlagChangeListener {
  /** Another replica (or this one) committed the change numbered `generation`. */
  changed(generation: number): void;
  /** The subscription (re)started: messages may have been missed meanwhile. */
  resubscribed(): void;
}

/**
 * Tells every replica that the overrides changed, through Redis pub/sub, so a change applies
 * everywhere within milliseconds rather than at the next poll. Only a notification: the message is
 * the generation, and replicas read the overrides from PostgreSQL. Pub/sub delivers at most once
 * and nothing while disconnected, which is why the registry also polls. The subscriber needs a
 * connection of its own: a subscribed ioredis connection accepts no other commands. Without Redis
 * this does nothing and polling alone propagates changes.
 */
@Injectable()
export class FlagChangeNotifier implements OnApplicationShutdown {
  private readonly logger = new Logger('FeatureFlags');
  private readonly warning = new IntervalWarning(this.logger, WARNING_INTERVAL_MS);
  /** Channels are not covered by ioredis' keyPrefix: prefixed here so deployments sharing a Redis stay apart. */
  private readonly channel: string;
  private subscriber: Redis | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    config: ConfigService<AppConfig, true>,
  ) {
    this.channel = `${config.get('redis', { infer: true }).keyPrefix}feature-flags:changed`;
  }

  get mechanism(): 'redis-pubsub' | 'polling' {
    return this.redis === null ? 'polling' : 'redis-pubsub';
  }

  /** After the change committed. Never throws: a lost notification only delays other replicas until their next poll. */
  async publish(generation: number): Promise<void> {
    if (this.redis === null) return;
    try {
      await this.redis.publish(this.channel, String(generation));
      this.warning.recovered('Feature flag change notifications are published again');
    } catch (error) {
      this.warning.warn(`Cannot publish a feature flag change through Redis (${(error as Error).name}); other replicas pick it up at their next poll`);
    }
  }

  listen(listener: FlagChangeListener): void {
    if (this.redis === null || this.subscriber !== undefined) return;
    const subscriber = this.redis.duplicate({ connectionName: 'compliance-service:flag-changes', autoResubscribe: false });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.warning.warn(`Feature flag change subscription: ${error.message}`));
    subscriber.on('message', (channel: string, message: string) => {
      const generation = Number(message);
      if (channel === this.channel && Number.isSafeInteger(generation)) listener.changed(generation);
    });
    // On every (re)connect: subscribe, then have the registry re-read whatever it missed meanwhile.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => listener.resubscribed(),
        (error: Error) => this.warning.warn(`Cannot subscribe to feature flag changes: ${error.message}`),
      );
    });
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
