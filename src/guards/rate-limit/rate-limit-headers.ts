/**
 * The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-10): `RateLimit-Policy` states
 * each quota policy (`q` requests per `w` seconds), `RateLimit` the caller's standing under it (`r`
 * remaining, `t` seconds until the window resets). Both are Structured Field lists, one member per
 * policy, named by a quoted string; a route under two throttlers lists both.
 */
export function policyItem(name: string, limit: number, windowMs: number): string {
  return `"${name}";q=${limit};w=${Math.max(1, Math.ceil(windowMs / 1000))}`;
}

export function limitItem(name: string, remaining: number, resetSeconds: number): string {
  return `"${name}";r=${Math.max(0, remaining)};t=${Math.max(0, resetSeconds)}`;
}

/** A list field gets one more member; an absent field is created. */
export function appendListMember(existing: unknown, member: string): string {
  return typeof existing === 'string' && existing !== '' ? `${existing}, ${member}` : member;
}
