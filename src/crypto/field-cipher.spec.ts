import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { FieldCipher, UnknownEncryptionKeyError } from './field-cipher';

function cipherWith(key: Buffer, previousKeys: Buffer[] = []): FieldCipher {
  return new FieldCipher(new ConfigService<AppConfig, true>({ encryption: { key, previousKeys } } as unknown as AppConfig));
}

describe('FieldCipher', () => {
  const key = randomBytes(32);

  it('round-trips a value and never stores it in clear', () => {
    const cipher = cipherWith(key);
    const sealed = cipher.seal('12-3456789');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('3456789');
    expect(cipher.open(sealed)).toBe('12-3456789');
  });

  it('uses a fresh IV, so equal values give different ciphertexts but equal blind indexes', () => {
    const cipher = cipherWith(key);
    expect(cipher.seal('12-3456789').ciphertext.equals(cipher.seal('12-3456789').ciphertext)).toBe(false);
    expect(cipher.blindIndex('12-3456789').equals(cipher.blindIndex('12-3456789'))).toBe(true);
    expect(cipher.blindIndex('12-3456789').equals(cipher.blindIndex('12-3456788'))).toBe(false);
  });

  it('rejects a tampered ciphertext (GCM authentication)', () => {
    const cipher = cipherWith(key);
    const sealed = cipher.seal('12-3456789');
    sealed.ciphertext[sealed.ciphertext.length - 1] ^= 1;
    expect(() => cipher.open(sealed)).toThrow();
  });

  it('opens values sealed under a previous key after rotation, and names an unknown key id', () => {
    const before = cipherWith(key).seal('12-3456789');
    const rotated = cipherWith(randomBytes(32), [key]);
    expect(rotated.currentKeyId).not.toBe(before.keyId);
    expect(rotated.open(before)).toBe('12-3456789');
    expect(() => cipherWith(randomBytes(32)).open(before)).toThrow(UnknownEncryptionKeyError);
  });
});
