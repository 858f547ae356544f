import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import { Projection, type ProjectedDeadline } from '../../projection';
import type { ReviewStatus } from '../status';
import * as agency from './agency';
import * as chair from './chair';
import * as lab from './lab';
import * as ops from './ops';

export { COMMON_REJECTIONS, type Message } from './define';

/**
 * Every message a running review accepts, one entry each (./define.ts says what an entry holds), grouped in
 * one file per sender; each of those files exports its messages and nothing else. Adding a message is one
 * entry in its sender's file, with its check and apply.
 */
export const MESSAGES = { ...lab, ...agency, ...chair, ...ops };
export type MessageName = keyof typeof MESSAGES;

/** The whole case as the workflow knows it now; the gateway trims it to what each role may see. */
export const statusQuery = defineQuery<ReviewStatus>('status');

export const ProjectDeadlines = z.lazy(() => z.strictObject({ change: Projection }));
export type ProjectDeadlines = z.infer<typeof ProjectDeadlines>;
/** What-if: every deadline under a hypothetical change, without changing anything. */
export const projectDeadlinesQuery = defineQuery<ProjectedDeadline[], [ProjectDeadlines]>('projectDeadlines');
