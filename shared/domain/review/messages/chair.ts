import { z } from 'zod';
import { Outcome } from '../../decisions';
import * as determination from '../determination';
import { defineMessage } from './define';

export const resolveEscalation = defineMessage({
  name: 'resolveEscalation',
  summary: 'Resolve an escalation: issue the determination',
  senders: ['chair'],
  body: () => ({
    outcome: Outcome.exclude(['REVIEW_INCOMPLETE']),
    rationale: z.string().min(1).max(4000),
    commitments: z.array(z.string().min(1).max(1000)).max(50).optional(),
  }),
  rejects: ['NOT_ESCALATED'],
  target: ({ c, reject }) => {
    const escalation = determination.openEscalation(c);
    if (escalation === undefined || c.policy === undefined) return reject('NOT_ESCALATED');
    return { escalation, policy: c.policy };
  },
  apply: ({ c, now, msg, target }) =>
    determination.resolveEscalation(c, target.escalation, target.policy, msg, msg.actor, now),
});
