/**
 * Packs tenants, in the order given, into chunks of at most `maxVerifications` monitored
 * verifications each: the `sanctions-rescreen-chunk` jobs a list activation's re-screen is shared
 * out in. A tenant is never split, so its sanctions.list_updated event and audit entry carry its
 * whole re-screen; a tenant larger than the limit is a chunk of its own.
 */
export function chunkTenants(verificationsPerTenant: ReadonlyMap<string, number>, maxVerifications: number): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const [tenantId, verifications] of verificationsPerTenant) {
    if (chunk.length > 0 && size + verifications > maxVerifications) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(tenantId);
    size += verifications;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
