import type { DatabaseConfig } from '../config/app-config';

/** Node's TLS error codes for a server certificate that does not chain to the trusted CAs. */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * Says what a failed connection means for the operator. TLS verification failures otherwise read
 * like "self-signed certificate in certificate chain", which does not name the setting to check.
 */
export function explainConnectionFailure(error: unknown, config: DatabaseConfig): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  if (code === undefined || config.ssl !== 'verify-full') return message;
  const caFile = config.sslCa?.path ?? 'DATABASE_SSL_CA_FILE';
  if (UNTRUSTED_CERTIFICATE_CODES.has(code) || code.startsWith('CERT_')) {
    return `The database server's certificate could not be verified against the CA bundle ${caFile} (DATABASE_SSL=verify-full): ${message} (${code}). ` +
      'Check that DATABASE_SSL_CA_FILE holds the CA that signed the server certificate (for RDS, the region or global bundle).';
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `The database server's certificate is not valid for the host in the database URL (DATABASE_SSL=verify-full): ${message}. ` +
      'Connect with the host name the certificate names (for RDS, the instance endpoint, not an IP or a CNAME).';
  }
  return message;
}
