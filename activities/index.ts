import { PolicyRegistry } from '../shared/domain/policy-registry';
import type { Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { createIntakeActivities } from './intake';

export interface ActivityDeps {
  config: Config;
  logger: Logger;
  policies?: PolicyRegistry;
}

/** Every activity the review worker registers, built from its dependencies so tests can inject fakes. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIntakeActivities({ policies: deps.policies ?? new PolicyRegistry() }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
