import { proxyActivities } from '@temporalio/workflow';
import type { ArchiveActivities } from '../../activities/archive';

/** The closed finding's permanent record: written once; a store that stays down fails it visibly after a week. */
export const archive = proxyActivities<Pick<ArchiveActivities, 'archiveFinding'>>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
