import { configProblemsOf } from './config-problems';
import { loadConfig } from './config.loader';

describe('TRUSTED_PROXIES', () => {
  it('trusts no proxy by default', () => {
    expect(loadConfig({}).http.trustedProxies).toEqual([]);
  });

  it('reads a comma-separated list of IPv4 and IPv6 addresses and CIDR blocks', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.10 ,fd00::/8,::1' }).http.trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.10', 'fd00::/8', '::1']);
  });

  it('names every entry that is not an address or CIDR block', () => {
    const problems = configProblemsOf({ TRUSTED_PROXIES: '10.0.0.0/8,10.0.0.0/33,ingress,fd00::/129,1.2.3.4/8/1' });
    expect(problems).toEqual([
      expect.stringMatching(/^TRUSTED_PROXIES: "10\.0\.0\.0\/33" is not an IP address or CIDR block/),
      expect.stringMatching(/^TRUSTED_PROXIES: "ingress" is not/),
      expect.stringMatching(/^TRUSTED_PROXIES: "fd00::\/129" is not/),
      expect.stringMatching(/^TRUSTED_PROXIES: "1\.2\.3\.4\/8\/1" is not/),
    ]);
  });

  it('refuses the retired TRUST_PROXY_HOPS instead of silently trusting nobody', () => {
    expect(configProblemsOf({ TRUST_PROXY_HOPS: '1' })).toEqual([expect.stringMatching(/^TRUST_PROXY_HOPS: no longer supported: list the proxies .* in TRUSTED_PROXIES/)]);
  });
});
