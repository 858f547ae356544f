import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { Projection, type ProjectedDeadline } from '../../deadlines';
import type { ReviewStatus } from '../status';
import * as agency from './agency';
import * as chair from './chair';
import * as lab from './lab';
import * as ops from './ops';

export { COMMON_REJECTIONS, type Message } from './define';

/**
 * Every message a running review accepts, one entry each (./define.ts says what an entry holds). Adding a
 * message is one entry here, in the file of who sends it, with its check and apply.
 */
export const MESSAGES = {
  supplement: lab.supplement,
  answerInformationRequest: lab.answerInformationRequest,
  amendReleaseDate: lab.amendReleaseDate,
  respondToExtensionOffer: lab.respondToExtensionOffer,
  withdraw: lab.withdraw,
  reportRelease: lab.reportRelease,
  changeCallbackEndpoint: lab.changeCallbackEndpoint,
  recordDecision: agency.recordDecision,
  requestInformation: agency.requestInformation,
  requestExtension: agency.requestExtension,
  resolveEscalation: chair.resolveEscalation,
  tollClocks: ops.tollClocks,
  resumeClocks: ops.resumeClocks,
  redeliverCallbacks: ops.redeliverCallbacks,
};
export type MessageName = keyof typeof MESSAGES;

/** The whole case as the workflow knows it now; the gateway trims it to what each role may see. */
export const statusQuery = defineQuery<ReviewStatus>('status');

export const ProjectDeadlines = z.strictObject({ change: Projection });
export type ProjectDeadlines = z.infer<typeof ProjectDeadlines>;
/** What-if: every deadline under a hypothetical change, without changing anything. */
export const projectDeadlinesQuery = defineQuery<ProjectedDeadline[], [ProjectDeadlines]>('projectDeadlines');
