import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { LogDestination, LogDestinationModule } from './log-destination';
import { redactLogObject } from './log-redaction';

/**
 * nestjs-pino as Nest's logger: every `Logger` call becomes a JSON line with service and version.
 * Request lines come from a Fastify hook (request-log.hooks.ts), so the pino-http middleware is
 * not mounted on any route. Secrets are redacted at any depth and errors reduced to their
 * loggable fields by a formatter (log-redaction.ts), not by pino's fixed-depth `redact` paths.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogDestinationModule],
      inject: [ConfigService, LogDestination],
      useFactory: (config: ConfigService<AppConfig, true>, destination: LogDestination) => ({
        forRoutes: [],
        pinoHttp: [
          {
            level: config.get('logLevel', { infer: true }),
            base: { service: 'compliance-service', version: config.get('version', { infer: true }) },
            formatters: { log: redactLogObject },
          },
          destination.stream,
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
