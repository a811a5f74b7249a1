import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../alerts/alert.repository';
import { SCREENING_OUTCOMES } from '../../sanctions/matching/sanctions-matching.model';
import { VERIFICATION_STATES } from '../../venues/verifications/verification-state';

const count = z.number().int().min(0);

export const dashboardSchema = z.object({
  generatedAt: z.string().describe('when the counts were read'),
  verifications: z.record(z.enum(VERIFICATION_STATES), count).describe('the tenant\'s verifications per state'),
  openAlerts: z.record(z.enum(ALERT_SEVERITIES), count).describe('screening alerts not closed yet (open or investigating), per severity'),
  screenings: z
    .object({
      since: z.string().describe('the start of the window: 30 days before generatedAt'),
      total: count,
      byResult: z.record(z.enum(SCREENING_OUTCOMES), count).describe('MATCH and POTENTIAL_MATCH are the screenings with matches'),
    })
    .describe('screenings stored in the last 30 days, ad hoc and of verifications'),
  tax: z.object({
    taxYear: z.number().int().describe('the current calendar year (UTC)'),
    venuesOverThreshold: count.describe('venues over a Form 1099-K threshold of the year (federal or a state\'s): each requires a form'),
  }),
  overduePrivacyRequests: count.describe('data-subject requests still open after their due date (GDPR Art. 12(3))'),
  undeliveredEvents: count.describe('the tenant\'s events that a subscriber has not received yet: delivery pending or being retried (dead letters are not counted)'),
});
export type DashboardView = z.infer<typeof dashboardSchema>;
