import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

/** Keys whose values pino replaces wherever they appear in a logged object. */
const REDACTED = ['*.authorization', '*.cookie', '*.password', '*.secret', '*.token', '*["x-internal-token"]', '*["stripe-signature"]'];

/**
 * nestjs-pino as Nest's logger: every `Logger` call becomes a JSON line with service and version.
 * Request lines come from a Fastify hook (request-log.hooks.ts), so the pino-http middleware is
 * not mounted on any route.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        forRoutes: [],
        pinoHttp: {
          level: config.get('logLevel', { infer: true }),
          base: { service: 'compliance-service', version: config.get('version', { infer: true }) },
          redact: { paths: REDACTED, censor: '[redacted]' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
