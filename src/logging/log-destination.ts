import { Injectable, Module } from '@nestjs/common';
import pino, { type DestinationStream } from 'pino';

/**
 * Where the app's JSON lines go: stdout through sonic-boom, what pino uses by default. A provider
 * so that a test can override it and read the lines the real logger writes.
 */
@Injectable()
export class LogDestination {
  readonly stream: DestinationStream = pino.destination();
}

@Module({ providers: [LogDestination], exports: [LogDestination] })
export class LogDestinationModule {}
