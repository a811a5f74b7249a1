import { z } from 'zod';

/** Venue ids come from the platform's venue service; any URL-safe id up to 100 characters. */
export const venueIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, { message: 'must be a venue id of letters, digits, _ . : - (at most 100)' });

export const venueParamsSchema = z.strictObject({ venueId: venueIdSchema });
export type VenueParams = z.infer<typeof venueParamsSchema>;

export const idParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
export type IdParams = z.infer<typeof idParamsSchema>;
