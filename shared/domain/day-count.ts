import { z } from 'zod';
import { CalendarKind } from './calendar';

/** A due time counted from an event (acceptance, day 0, for a review) in a calendar. Fractional days serve the benchmark policy. */
export const DayCount = z.object({ days: z.number().positive(), calendar: CalendarKind });
export type DayCount = z.infer<typeof DayCount>;
