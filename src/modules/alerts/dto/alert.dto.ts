import { z } from 'zod';
import { pageQuerySchema } from '../../../common/pagination';
import { screeningViewSchema } from '../../sanctions/dto/screening.dto';
import { ALERT_OUTCOMES, ALERT_STATUSES } from '../alert-state';
import { ALERT_SEVERITIES } from '../alert.repository';

const EVENT_KINDS = ['opened', 'assigned', 'status_changed', 'commented', 'closed'] as const;

export const alertParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
export type AlertParams = z.infer<typeof alertParamsSchema>;

export const alertListQuerySchema = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  assignee: z.string().trim().min(1).max(200).optional(),
  venueId: z.string().trim().min(1).max(200).optional(),
  overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional().describe('true: not closed and past the due date'),
  ...pageQuerySchema,
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

export const assignRequestSchema = z.strictObject({ assignee: z.string().trim().min(1).max(200).describe('the officer\'s user id') });
export type AssignRequest = z.infer<typeof assignRequestSchema>;

export const commentRequestSchema = z.strictObject({ text: z.string().trim().min(1).max(4000) });
export type CommentRequest = z.infer<typeof commentRequestSchema>;

export const closeRequestSchema = z.strictObject({
  outcome: z.enum(ALERT_OUTCOMES),
  reason: z.string().trim().min(1).max(2000),
  reviewAfterDays: z.number().int().min(1).max(3650).optional().describe('false positives: re-review after this many days (default SANCTIONS_FALSE_POSITIVE_REVIEW_DAYS)'),
});
export type CloseRequest = z.infer<typeof closeRequestSchema>;

export const alertViewSchema = z.object({
  id: z.uuid(),
  screeningId: z.uuid(),
  subjectKey: z.string(),
  verificationId: z.uuid(),
  venueId: z.string(),
  list: z.string(),
  sdnId: z.string().describe('the list entry\'s source id'),
  matchedName: z.string(),
  score: z.number(),
  contentHash: z.string().describe('the entry\'s content as the alert saw it'),
  severity: z.enum(ALERT_SEVERITIES).describe('high for a MATCH, medium for a POTENTIAL_MATCH'),
  status: z.enum(ALERT_STATUSES),
  outcome: z.enum(ALERT_OUTCOMES).nullable(),
  assignee: z.string().nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

export const alertListSchema = z.object({ items: z.array(alertViewSchema), nextCursor: z.string().nullable() });

export const alertEventSchema = z.object({
  id: z.uuid(),
  kind: z.enum(EVENT_KINDS),
  actor: z.string(),
  text: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});
export type AlertEventView = z.infer<typeof alertEventSchema>;

const hitSchema = screeningViewSchema.shape.matches.element;

export const alertDetailSchema = alertViewSchema.extend({
  hit: hitSchema.nullable().describe('the hit as the screening stored it, with the matcher\'s explanation'),
  timeline: z.array(alertEventSchema),
});
export type AlertDetail = z.infer<typeof alertDetailSchema>;

export const rescreenViewSchema = z.object({
  listVersion: z.string(),
  tenants: z.number(),
  verifications: z.number(),
  subjects: z.number(),
  alertsOpened: z.number(),
  statusesChanged: z.number(),
  durationMs: z.number(),
});
export type RescreenView = z.infer<typeof rescreenViewSchema>;
