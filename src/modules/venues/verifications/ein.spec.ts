import { einProblem, maskEin } from './ein';

describe('EIN validation', () => {
  it.each(['12-3456789', '01-0000001', '99-9999999', '45-1234567'])('accepts %s', (ein) => {
    expect(einProblem(ein)).toBeUndefined();
  });

  it.each(['00-1234567', '07-1234567', '49-1234567', '69-1234567', '89-1234567', '96-1234567'])('refuses unassigned prefix %s', (ein) => {
    expect(einProblem(ein)).toMatch(/IRS does not assign/);
  });

  it.each(['123456789', '12-345678', '12-34567890', 'AB-1234567', '12 3456789'])('refuses malformed %s', (ein) => {
    expect(einProblem(ein)).toMatch(/NN-NNNNNNN/);
  });

  it('masks all but the last four digits', () => {
    expect(maskEin('6789')).toBe('**-***6789');
  });
});
