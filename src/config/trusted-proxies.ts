import { isIP } from 'node:net';

/**
 * `TRUSTED_PROXIES=10.0.0.0/8,fd00::/8,192.0.2.10`: the addresses (CIDR blocks, or single addresses)
 * of the proxies in front of the service. Fastify hands the list to proxy-addr, which honours an
 * `X-Forwarded-For` hop only when the address that sent it is inside the list. Trusting by address
 * rather than by hop count means a pod that reaches the service directly (not through the ingress)
 * cannot choose its own client address, and with it its rate-limit key.
 */
export function invalidCidrs(list: string): string[] {
  return splitList(list).filter((entry) => !isCidr(entry));
}

export function parseTrustedProxies(list: string): string[] {
  return splitList(list);
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function isCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}
