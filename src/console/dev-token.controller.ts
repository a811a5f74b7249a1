import { Controller, HttpCode, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { z } from 'zod';
import { ROLES } from '../auth/roles';
import { mintToken } from '../auth/token-minter';
import type { AppConfig } from '../config/app-config';
import { ValidBody } from '../openapi/zod-openapi.decorators';

const devTokenRequestSchema = z.strictObject({
  roles: z.array(z.enum(ROLES)).min(1),
  tenantId: z.uuid({ message: 'must be a UUID' }),
  userId: z.string().min(1).max(100).default('console-developer'),
  venueIds: z.array(z.string().min(1).max(100)).max(20).optional(),
});
type DevTokenRequest = z.infer<typeof devTokenRequestSchema>;

/**
 * Development only (NODE_ENV=development, what `npm start` runs without one; ConsoleModule
 * registers it nowhere else): the console's sign-in page offers to mint a token, as `npm run token`
 * does. Elsewhere tokens come from the platform's identity provider.
 */
@ApiExcludeController()
@Controller('console')
export class DevTokenController {
  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  @Post('dev-token')
  @HttpCode(200)
  async mint(@ValidBody(devTokenRequestSchema) body: DevTokenRequest): Promise<{ token: string }> {
    const auth = this.config.get('auth', { infer: true });
    const token = await mintToken(auth, auth.jwtSecrets[0] ?? '', { subject: body.userId, tenantId: body.tenantId, roles: body.roles, venueIds: body.venueIds, expiresInSeconds: 8 * 3600 });
    return { token };
  }
}
