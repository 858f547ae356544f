/** A calendar day in milliseconds: 24 hours, as calendar-day deadlines count them. */
export const DAY_MS = 86_400_000;

/** An instant as the ISO-8601 UTC string every wire shape and record uses. */
export const iso = (at: Date | number): string => new Date(at).toISOString();
