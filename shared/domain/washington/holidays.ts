import { z } from 'zod';
import { IsoDate } from './zone';

/** One observed federal holiday, as policy data. */
export const Holiday = z.object({ date: IsoDate, name: z.string().min(1) });
export type Holiday = z.infer<typeof Holiday>;
