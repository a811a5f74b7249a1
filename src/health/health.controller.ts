import { Controller, Get, Header } from '@nestjs/common';

/** Placeholder probes until the health module lands: liveness only says the process serves HTTP. */
@Controller('health')
export class HealthController {
  @Get('live')
  @Header('cache-control', 'no-store')
  live(): { status: string; timestamp: string } {
    return { status: 'healthy', timestamp: new Date().toISOString() };
  }
}
