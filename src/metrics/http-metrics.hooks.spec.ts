import { methodLabelOf, routeLabelOf, UNMATCHED_ROUTE } from './http-metrics.hooks';

describe('HTTP metric labels', () => {
  it('uses the route template, and one fixed value when no route matched', () => {
    expect(routeLabelOf('/api/v1/venues/:venueId')).toBe('/api/v1/venues/:venueId');
    expect(routeLabelOf(undefined)).toBe(UNMATCHED_ROUTE);
    expect(routeLabelOf('')).toBe(UNMATCHED_ROUTE);
  });

  it('keeps the usual methods and folds every other one into OTHER', () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(methodLabelOf(method)).toBe(method);
    for (const method of ['PROPFIND', 'MKCOL', 'SEARCH', 'get']) expect(methodLabelOf(method)).toBe('OTHER');
  });
});
