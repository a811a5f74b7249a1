import { Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { REQUEST_ID_HEADER } from '../common/request-id';

/**
 * Probes and scrapes arrive every few seconds from every kubelet and Prometheus: pino-http is not
 * even run for them (no per-request logger, no log line), which keeps liveness near raw speed.
 */
const UNLOGGED_ROUTES = ['health/live', 'health/ready', 'metrics'].map((path) => ({ path, method: RequestMethod.ALL }));

/** Headers that carry credentials or signatures; pino replaces their values. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-webhook-signature"]',
  'req.headers["stripe-signature"]',
  'req.headers["x-internal-token"]',
  'res.headers["set-cookie"]',
];

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        exclude: UNLOGGED_ROUTES,
        pinoHttp: {
          level: config.get('logLevel', { infer: true }),
          base: { service: 'compliance-service', version: config.get('version', { infer: true }) },
          genReqId: (request: IncomingMessage) => String(request.headers[REQUEST_ID_HEADER]),
          redact: { paths: REDACTED, censor: '[redacted]' },
          // The query string can hold personal data (emails, names searched for): log the path only.
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({
              id: request.id,
              method: request.method,
              path: request.url.split('?')[0],
            }),
            res: (response: ServerResponse & { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
          customAttributeKeys: { reqId: 'requestId' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
