import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const SANCTIONS_SCREENINGS = 'compliance_sanctions_screenings_total';
/** The `outcome` of a subject whose screening failed (no list loaded, the database unreachable). */
export const SCREENING_ERROR = 'error';
/** The `list` of a CLEAR or failed screening: no hit names a list. */
export const NO_LIST = 'none';

/**
 * One count per subject screened (ad hoc, on submission, by ongoing monitoring): `outcome` is the
 * stored result after officers' decisions, or `error`; `list` is the list of the best remaining
 * hit. Lists are the active versions' entry lists: a bounded set (OFAC-SDN and the OpenSanctions
 * datasets), never a subject.
 */
export const screeningMetricProviders = [
  makeCounterProvider({ name: SANCTIONS_SCREENINGS, help: 'Subjects screened, by outcome (CLEAR, POTENTIAL_MATCH, MATCH, error) and the list of the best hit (none when there is none)', labelNames: ['outcome', 'list'] }),
];
