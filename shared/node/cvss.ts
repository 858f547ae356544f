import { fromVector, type CvssVector } from 'ae-cvss-calculator';
import type { BaseScoreResult } from 'ae-cvss-calculator/dist/types/src/CvssVector';
import type { Severity, SeverityRating } from '../domain/clearinghouse/finding';

/**
 * A finding's severity from its CVSS vector (2.0, 3.0, 3.1 or 4.0), parsed and scored by a maintained
 * implementation of FIRST's specifications (ae-cvss-calculator), never by a parser of our own. A vector that
 * does not parse, or leaves a base metric undefined, is refused.
 */
export function scoreCvss(vector: string): Severity | { error: string } {
  const trimmed = vector.trim();
  let parsed: CvssVector<BaseScoreResult & { base?: number }> | null | undefined;
  try {
    parsed = fromVector(trimmed) as typeof parsed;
  } catch (err) {
    return { error: `the vector does not parse: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (parsed === null || parsed === undefined)
    return { error: 'the vector does not parse as CVSS 2.0, 3.0, 3.1 or 4.0' };
  // The specifications allow each metric once; the library lets a later one win.
  const metrics = trimmed
    .split('/')
    .filter((part) => !part.startsWith('CVSS:'))
    .map((part) => part.split(':')[0]);
  const repeated = metrics.find((m, i) => metrics.indexOf(m) !== i);
  if (repeated !== undefined) return { error: `the metric ${repeated} is given more than once` };
  if (!parsed.isBaseFullyDefined()) return { error: 'every base metric must be given' };
  const scores = parsed.calculateScores();
  const score = scores.base ?? scores.overall ?? 0;
  return { vector: trimmed, version: versionOf(trimmed), score, rating: ratingOf(score) };
}

function versionOf(vector: string): Severity['version'] {
  const m = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(vector);
  return m?.[1] ?? '2.0';
}

/** FIRST's qualitative scale, the same for 3.x and 4.0 (and used here for 2.0 too). */
export function ratingOf(score: number): SeverityRating {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}
