import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';

export interface SealedValue {
  /** iv (12 bytes) ‖ auth tag (16 bytes) ‖ ciphertext */
  ciphertext: Buffer;
  keyId: string;
}

export class UnknownEncryptionKeyError extends Error {
  constructor(keyId: string) {
    super(`No configured ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS has key id ${keyId}`);
    this.name = 'UnknownEncryptionKeyError';
  }
}

interface KeyMaterial {
  id: string;
  encryption: Buffer;
  index: Buffer;
}

/**
 * Field-level encryption for tax ids: AES-256-GCM with a random 96-bit IV per value (NIST SP
 * 800-38D), the key id stored beside each value so rotation can proceed row by row, and a keyed
 * HMAC-SHA256 "blind index" for equality search. Both keys are derived from ENCRYPTION_KEY with
 * HKDF, so the index key never doubles as the encryption key.
 */
@Injectable()
export class FieldCipher {
  private readonly current: KeyMaterial;
  private readonly byId: Map<string, KeyMaterial>;

  constructor(config: ConfigService<AppConfig, true>) {
    const { key, previousKeys } = config.get('encryption', { infer: true });
    this.current = materialOf(key);
    this.byId = new Map([this.current, ...previousKeys.map(materialOf)].map((material) => [material.id, material]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryption, iv);
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), encrypted]), keyId: this.current.id };
  }

  open(sealed: SealedValue): string {
    const material = this.byId.get(sealed.keyId);
    if (material === undefined) throw new UnknownEncryptionKeyError(sealed.keyId);
    const decipher = createDecipheriv('aes-256-gcm', material.encryption, sealed.ciphertext.subarray(0, 12));
    decipher.setAuthTag(sealed.ciphertext.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.ciphertext.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Equality search without decrypting: the same input gives the same digest under the current key. */
  blindIndex(value: string): Buffer {
    return createHmac('sha256', this.current.index).update(value).digest();
  }
}

function materialOf(key: Buffer): KeyMaterial {
  return {
    id: createHash('sha256').update('compliance-service key id').update(key).digest('hex').slice(0, 16),
    encryption: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'compliance-service field encryption', 32)),
    index: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'compliance-service blind index', 32)),
  };
}
