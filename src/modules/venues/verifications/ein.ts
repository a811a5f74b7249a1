/**
 * Employer Identification Numbers: `NN-NNNNNNN`, whose two-digit prefix must be one the IRS
 * assigns ("How EINs are assigned and valid EIN prefixes", irs.gov; campus and internet prefixes
 * together). Prefixes such as 00, 07–09, 17–19, 28, 29, 49, 69, 70, 78, 79, 89, 96 and 97 are
 * never issued, so a number using one is a typo or made up.
 */
const VALID_PREFIXES = new Set([
  '01', '02', '03', '04', '05', '06',
  '10', '11', '12', '13', '14', '15', '16',
  '20', '21', '22', '23', '24', '25', '26', '27',
  '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46', '47', '48',
  '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '60', '61', '62', '63', '64', '65', '66', '67', '68',
  '71', '72', '73', '74', '75', '76', '77',
  '80', '81', '82', '83', '84', '85', '86', '87', '88',
  '90', '91', '92', '93', '94', '95', '98', '99',
]);

export const EIN_FORMAT = /^\d{2}-\d{7}$/;

export function einProblem(ein: string): string | undefined {
  if (!EIN_FORMAT.test(ein)) return 'must be an EIN in the form NN-NNNNNNN';
  if (!VALID_PREFIXES.has(ein.slice(0, 2))) return `uses prefix ${ein.slice(0, 2)}, which the IRS does not assign`;
  return undefined;
}

/** What responses show: the last four digits only. */
export function maskEin(lastFour: string): string {
  return `**-***${lastFour}`;
}
