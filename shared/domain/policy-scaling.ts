import type { DayCount, Policy } from './policy';

/**
 * A shorter preset from a longer one (domain.md section 4): every duration scales with the window.
 * Business-day periods round up to whole business days, never below one; calendar-day deadlines round to the
 * nearest whole day, keep their order, and leave at least one day between the determination and the
 * window's end. The tolling cap and the extension limit are calendar days and round the same way.
 *
 * This keeps the order of the day numbers. Once weekends, holidays and closures move them to business days a
 * case keeps the order itself (rules 7: review/order.ts), so a published preset never changes for it.
 */
export function scalePreset(base: Policy, to: { id: string; title: string; windowDays: number }): Policy {
  const f = to.windowDays / base.windowDays;
  const nearest = (days: number): number => Math.max(1, Math.round(days * f));
  const period = (c: DayCount): DayCount =>
    c.calendar === 'BUSINESS_DAYS'
      ? { days: Math.max(1, Math.ceil(c.days * f)), calendar: c.calendar }
      : { days: nearest(c.days), calendar: c.calendar };

  // The deadlines in order, each at least a day after the one before, the determination a day before the end.
  const last = to.windowDays - 1;
  const ns = Math.min(nearest(base.stages.NATIONAL_SECURITY.deadline.days), last - 2);
  const civilian = Math.min(Math.max(nearest(base.stages.CIVILIAN.deadline.days), ns + 1), last - 1);
  const determination = Math.min(Math.max(nearest(base.determination.days), civilian + 1), last);
  const at = (c: DayCount, days: number): DayCount => ({ days, calendar: c.calendar });

  return {
    ...base,
    id: to.id,
    title: to.title,
    windowDays: to.windowDays,
    stages: {
      NATIONAL_SECURITY: {
        ...base.stages.NATIONAL_SECURITY,
        deadline: at(base.stages.NATIONAL_SECURITY.deadline, ns),
      },
      CIVILIAN: { ...base.stages.CIVILIAN, deadline: at(base.stages.CIVILIAN.deadline, civilian) },
    },
    determination: at(base.determination, determination),
    informationResponse: period(base.informationResponse),
    tollingCapDays: nearest(base.tollingCapDays),
    extension: { ...base.extension, maxDays: nearest(base.extension.maxDays) },
    ...(base.chairMinimum ? { chairMinimum: period(base.chairMinimum) } : {}),
  };
}
