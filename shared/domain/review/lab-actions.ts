import { compress, rescale } from '../deadlines';
import type { Policy } from '../policy';
import type { Actor } from '../principal';
import { iso } from '../time';
import { isGovernment, openDeadlines } from './clock';
import { close } from './closing';
import { issueIncomplete, settleAtWindowEnd } from './determination';
import { labDeadlines } from './lab-deadlines';
import { record } from './record';
import { corrected } from './rules';
import { advanceDetermination } from './determination';
import { advanceStage } from './stages';
import type { CaseState } from './state';
import { endForRelease, followRelease, longestEnd, setEnd, windowEnd } from './window';

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
  if (corrected(c)) rescaleToRelease(c, new Date(c.acceptedAt), c.policy, now);
  else compressToRelease(c, release, now);
  followRelease(c, new Date(c.acceptedAt), c.policy);
  return record(c, now, actor, 'RELEASE_DATE_AMENDED', summary, {
    plannedReleaseDate,
    shortNotice: c.shortNotice,
    deadlines: labDeadlines(c, now),
  });
}

/** Rules 1: an earlier release compresses the open government deadlines; a later one leaves them compressed. */
function compressToRelease(c: CaseState, release: Date, now: Date): void {
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
}

/**
 * Rules 2: compression is reversible. The open government deadlines scale with the window's end whichever way
 * it moves, never beyond their uncompressed due times; SHORT_NOTICE holds while the window is short of whole.
 */
function rescaleToRelease(c: CaseState, acceptedAt: Date, policy: Policy, now: Date): void {
  const oldEnd = windowEnd(c);
  const newEnd = new Date(endForRelease(c, acceptedAt, policy));
  const compressed = new Set(c.compressedByLab ?? []);
  for (const d of openDeadlines(c).filter(isGovernment)) {
    const scaled = rescale(d, now, oldEnd, newEnd);
    c.deadlines[d.key] = scaled;
    if (scaled.uncompressed === undefined) compressed.delete(d.key);
    else if (Date.parse(scaled.baseDue) < Date.parse(d.baseDue)) compressed.add(d.key);
  }
  c.compressedByLab = [...compressed];
  setEnd(c, newEnd);
  c.shortNotice = newEnd.getTime() < longestEnd(c, acceptedAt, policy);
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
  const why = 'The lab released the model before the review finished';
  if (corrected(c) && c.acceptedAt !== undefined) {
    // The release ends the window: what is due now happens, then what was recorded decides.
    while (advanceStage(c, now) || advanceDetermination(c, now)) {
      // as at the window's end
    }
    settleAtWindowEnd(c, now, why);
  } else {
    issueIncomplete(c, why, now);
  }
  close(c, 'RELEASED', now);
  return receipt;
}
