import { compress } from '../deadlines';
import type { Actor } from '../principal';
import { iso } from '../time';
import { isGovernment, openDeadlines } from './clock';
import { close } from './closing';
import { issueIncomplete } from './determination';
import { labDeadlines } from './intake';
import { record } from './record';
import type { CaseState } from './state';
import { followRelease, windowEnd } from './window';

/**
 * Only the lab moves its release date. Earlier than the window's end: SHORT_NOTICE, the window ends at the
 * new date and the open government deadlines are compressed into the time left. Later: the window grows back
 * at most to its natural end (acceptance plus the policy's length, or an end the lab consented to); deadlines
 * already compressed stay as they are.
 */
export function amendReleaseDate(c: CaseState, plannedReleaseDate: string, actor: Actor, now: Date) {
  const release = new Date(plannedReleaseDate);
  c.submission = { ...c.submission, plannedReleaseDate };
  const summary = `planned release moved to ${plannedReleaseDate}`;
  if (c.acceptedAt === undefined || c.policy === undefined) {
    return record(c, now, actor, 'RELEASE_DATE_AMENDED', summary, { plannedReleaseDate });
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
  }
  followRelease(c, new Date(c.acceptedAt), c.policy);
  return record(c, now, actor, 'RELEASE_DATE_AMENDED', summary, {
    plannedReleaseDate,
    shortNotice: c.shortNotice,
    deadlines: labDeadlines(c, now),
  });
}

export function withdraw(c: CaseState, reason: string | undefined, actor: Actor, now: Date) {
  const receipt = record(c, now, actor, 'WITHDRAWN', `withdrawn by the lab${reason ? `: ${reason}` : ''}`, {
    ...(reason ? { reason } : {}),
  });
  close(c, 'WITHDRAWN', now);
  return receipt;
}

/** A release before the window's end is an early release: the determination stands, trusted-partner status does not. */
export function reportRelease(c: CaseState, reportedReleasedAt: string | undefined, actor: Actor, now: Date) {
  const releasedAt = reportedReleasedAt ?? iso(now);
  const early = c.acceptedAt === undefined || Date.parse(releasedAt) < windowEnd(c).getTime();
  c.release = { releasedAt, reportedAt: iso(now), early };
  const receipt = record(
    c,
    now,
    actor,
    'RELEASE_REPORTED',
    `lab reported its release on ${releasedAt}${early ? ' (early)' : ''}`,
    { releasedAt, early },
  );
  issueIncomplete(c, 'The lab released the model before the review finished', now);
  close(c, 'RELEASED', now);
  return receipt;
}
