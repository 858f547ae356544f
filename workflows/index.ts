// The workflow bundle's entry point: every workflow the review worker runs is exported here.
export { review } from './review';
export { government } from './government';
export { finding } from './finding';
export { filingQuota } from './finding/quota';
export { commitment } from './commitment';
export { lab } from './lab';
export { grant } from './grant';
