import { condition } from '@temporalio/workflow';
import { MESSAGES } from '../../shared/domain/review/messages';

/** The review's message table and, through it, the domain modules and their schemas, without the review. */
export async function memoryProbe(): Promise<void> {
  if (Object.keys(MESSAGES).length === 0) throw new Error('no messages');
  await condition(() => false, '30 days');
}
