import type { Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';

export interface ActivityDeps {
  config: Config;
  logger: Logger;
}

/** Every activity the review worker registers, built from its dependencies so tests can inject fakes. */
export function createActivities(_deps: ActivityDeps) {
  return {};
}
