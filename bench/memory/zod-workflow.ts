import { condition } from '@temporalio/workflow';
import { z } from 'zod';

/** One schema, so the bundle evaluates zod for each workflow: what importing zod costs per cached workflow. */
const Probe = z.object({ id: z.string() });

export async function memoryProbe(): Promise<void> {
  Probe.parse({ id: 'probe' });
  await condition(() => false, '30 days');
}
