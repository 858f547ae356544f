import { addDays } from '../calendar';
import { compress } from '../deadlines';
import type { AmendReleaseDate, ReportRelease, Withdraw } from '../messages';
import {
  capGovernmentDeadlines,
  iso,
  isGovernment,
  key,
  openDeadlines,
  updateDeadline,
  windowEnd,
} from './clock';
import { close } from './closing';
import { issueIncomplete } from './determination';
import { labDeadlines } from './intake';
import { record } from './record';
import type { CaseState } from './state';

/**
 * Only the lab moves its release date. Earlier than the window's end: SHORT_NOTICE, the window ends at the
 * new date and the open government deadlines are compressed into the time left. Later: the window grows back
 * at most to its natural end (acceptance plus the policy's length, or an end the lab consented to); deadlines
 * already compressed stay as they are.
 */
export function amendReleaseDate(c: CaseState, msg: AmendReleaseDate, now: Date) {
  const release = new Date(msg.plannedReleaseDate);
  c.submission = { ...c.submission, plannedReleaseDate: msg.plannedReleaseDate };
  if (c.acceptedAt === undefined || c.policy === undefined) {
    return record(
      c,
      now,
      msg.actor,
      'RELEASE_DATE_AMENDED',
      `planned release moved to ${msg.plannedReleaseDate}`,
      {
        plannedReleaseDate: msg.plannedReleaseDate,
      },
    );
  }
  const oldEnd = windowEnd(c);
  if (release < oldEnd) {
    c.shortNotice = true;
    const compressed: string[] = [];
    for (const d of openDeadlines(c).filter(isGovernment)) {
      c.deadlines[d.key] = compress(d, now, oldEnd, release);
      compressed.push(d.key);
    }
    c.compressedByLab = [...new Set([...(c.compressedByLab ?? []), ...compressed])];
    updateDeadline(c, key.window, (d) => ({ ...d, baseDue: iso(release) }));
  } else {
    const consented = c.extensionOffers
      .filter((o) => o.response === 'ACCEPTED')
      .map((o) => Date.parse(o.proposedWindowEnd));
    const natural = Math.max(
      addDays(new Date(c.acceptedAt), c.policy.windowDays, 'CALENDAR_DAYS').getTime(),
      ...consented,
    );
    updateDeadline(c, key.window, (d) => ({ ...d, baseDue: iso(Math.min(natural, release.getTime())) }));
  }
  capGovernmentDeadlines(c);
  return record(
    c,
    now,
    msg.actor,
    'RELEASE_DATE_AMENDED',
    `planned release moved to ${msg.plannedReleaseDate}`,
    {
      plannedReleaseDate: msg.plannedReleaseDate,
      shortNotice: c.shortNotice,
      deadlines: labDeadlines(c, now),
    },
  );
}

export function withdraw(c: CaseState, msg: Withdraw, now: Date) {
  const receipt = record(
    c,
    now,
    msg.actor,
    'WITHDRAWN',
    `withdrawn by the lab${msg.reason ? `: ${msg.reason}` : ''}`,
    {
      ...(msg.reason ? { reason: msg.reason } : {}),
    },
  );
  close(c, 'WITHDRAWN', now);
  return receipt;
}

/** A release before the window's end is an early release: the determination stands, trusted-partner status does not. */
export function reportRelease(c: CaseState, msg: ReportRelease, now: Date) {
  const releasedAt = msg.releasedAt ?? iso(now);
  const early = c.acceptedAt === undefined || Date.parse(releasedAt) < windowEnd(c).getTime();
  c.release = { releasedAt, reportedAt: iso(now), early };
  const receipt = record(
    c,
    now,
    msg.actor,
    'RELEASE_REPORTED',
    `lab reported its release on ${releasedAt}${early ? ' (early)' : ''}`,
    {
      releasedAt,
      early,
    },
  );
  issueIncomplete(c, 'The lab released the model before the review finished', now);
  close(c, 'RELEASED', now);
  return receipt;
}
