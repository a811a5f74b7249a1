import { chunkTenants } from './tenant-chunks';

describe('packing tenants into re-screen chunks', () => {
  it('fills a chunk up to the limit and starts the next with the tenant that would overflow it', () => {
    const tenants = new Map([['a', 200], ['b', 250], ['c', 100], ['d', 400], ['e', 50]]);
    expect(chunkTenants(tenants, 500)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('never splits a tenant: one larger than the limit is a chunk of its own', () => {
    expect(chunkTenants(new Map([['small', 10], ['huge', 5_000], ['other', 10]]), 500)).toEqual([['small'], ['huge'], ['other']]);
  });

  it('puts every tenant in a chunk of its own with a limit of one verification', () => {
    expect(chunkTenants(new Map([['a', 1], ['b', 3], ['c', 1]]), 1)).toEqual([['a'], ['b'], ['c']]);
  });

  it('answers no chunks when no tenant has a monitored verification', () => {
    expect(chunkTenants(new Map(), 500)).toEqual([]);
  });
});
