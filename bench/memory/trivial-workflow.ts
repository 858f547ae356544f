import { condition } from '@temporalio/workflow';

/** A workflow that only waits: what the SDK itself holds per cached workflow. */
export async function memoryProbe(): Promise<void> {
  await condition(() => false, '30 days');
}
