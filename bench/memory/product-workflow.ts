import { condition } from '@temporalio/workflow';
import * as workflows from '../../workflows';

/** Every module of the product's workflow bundle (the review and the government's workflows), evaluated. */
export async function memoryProbe(): Promise<void> {
  if (Object.keys(workflows).length === 0) throw new Error('no workflows');
  await condition(() => false, '30 days');
}
