import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config';

export interface ExportLink {
  /** Path and query: the caller prefixes its own origin. */
  url: string;
  expiresAt: string;
}

/**
 * Short-lived download links for access exports: the link is the credential (a data subject or
 * the officer passing it on has no token for this API), so it names the tenant and request, expires,
 * and carries an HMAC over all three. The key is derived from JWT_SECRET with HKDF under its own
 * label, so it is never the token-signing key itself; rotating JWT_SECRET voids open links, which
 * live minutes.
 */
@Injectable()
export class ExportLinkSigner {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    const [secret] = config.get('auth', { infer: true }).jwtSecrets;
    this.key = Buffer.from(hkdfSync('sha256', secret ?? '', 'compliance-service', 'privacy-export-link', 32));
    this.ttlSeconds = config.get('privacy', { infer: true }).exportLinkTtlSeconds;
  }

  sign(tenantId: string, requestId: string, now: Date): ExportLink {
    const expires = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
    const signature = this.signature(tenantId, requestId, expires).toString('hex');
    return { url: `/privacy-exports/${tenantId}/${requestId}?expires=${expires}&signature=${signature}`, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** Why the link does not open, or undefined when it does. */
  problemWith(tenantId: string, requestId: string, expires: number, signature: string, now: Date): string | undefined {
    const presented = Buffer.from(signature, 'hex');
    const expected = this.signature(tenantId, requestId, expires);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'the link\'s signature does not match; use the link exactly as issued';
    if (expires * 1000 < now.getTime()) return 'the link has expired; ask for a new one';
    return undefined;
  }

  private signature(tenantId: string, requestId: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`${tenantId}.${requestId}.${expires}`).digest();
  }
}
