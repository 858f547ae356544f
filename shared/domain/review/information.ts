import { endToll, meet, toll } from '../deadlines';
import type { AnswerInformationRequest } from '../messages';
import type { ReviewStageName } from '../policy';
import { deadlineFrom, due, iso, isDue, key, updateDeadline } from './clock';
import { record } from './record';
import type { CaseState, InformationRequest } from './state';

/**
 * An agency asks the lab a question. Only that agency's deadline is tolled until the lab answers (capped in
 * total by policy); the lab has the policy's response time (3 business days) to answer.
 */
export function requestInformation(
  c: CaseState,
  stage: ReviewStageName,
  agency: string,
  questions: string[],
  now: Date,
) {
  const id = `${agency}-${c.informationRequests.filter((r) => r.agency === agency).length + 1}`;
  const agencyKey = key.agency(stage, agency);
  updateDeadline(c, agencyKey, (d) =>
    toll(d, { id, who: `agency:${agency}`, reason: 'INFORMATION_REQUEST', from: iso(now) }),
  );
  const answerBy = deadlineFrom(key.information(id), 'lab', now, c.policy!.informationResponse);
  c.deadlines[answerBy.key] = answerBy;
  const request: InformationRequest = {
    id,
    agency,
    stage,
    questions,
    askedAt: iso(now),
    dueAt: answerBy.baseDue,
    status: 'OPEN',
  };
  c.informationRequests.push(request);
  return record(
    c,
    now,
    `agency:${agency}`,
    'INFORMATION_REQUESTED',
    `${agency} asked ${questions.length} question(s)`,
    {
      requestId: id,
      agency,
      questions,
      answerDueAt: request.dueAt,
      tolledDeadline: `${stage} review deadline of ${agency}`,
    },
  );
}

export function answerInformation(c: CaseState, msg: AnswerInformationRequest, now: Date) {
  const r = c.informationRequests.find((x) => x.id === msg.requestId)!;
  r.status = 'ANSWERED';
  r.answeredAt = iso(now);
  r.answer = msg.answer;
  const agencyKey = key.agency(r.stage, r.agency);
  updateDeadline(c, agencyKey, (d) => endToll(d, r.id, now));
  updateDeadline(c, key.information(r.id), (d) => meet(d, now));
  return record(
    c,
    now,
    msg.actor,
    'INFORMATION_ANSWERED',
    `lab answered ${r.id}; ${r.agency}'s clock resumed`,
    {
      requestId: r.id,
      agency: r.agency,
      resumedDeadline: `${r.stage} review deadline of ${r.agency}`,
      newDueAt: iso(due(c, agencyKey, now)),
    },
  );
}

/** The lab is told once when its answer is late; the agency may then record UNABLE_TO_ASSESS. */
export function advanceInformation(c: CaseState, now: Date): boolean {
  let changed = false;
  for (const r of c.informationRequests) {
    if (r.status !== 'OPEN' || r.overdueNoticeAt !== undefined || !isDue(c, key.information(r.id), now))
      continue;
    r.overdueNoticeAt = iso(now);
    updateDeadline(c, key.information(r.id), (d) => meet(d, now));
    record(c, now, 'system', 'INFORMATION_OVERDUE', `the answer to ${r.id} is late`, {
      requestId: r.id,
      agency: r.agency,
    });
    changed = true;
  }
  return changed;
}
