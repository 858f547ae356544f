import { Policy } from './policy';
import { POLICY_PRESETS } from './policy-presets';

/**
 * Versioned policies by id. The newest version of an id is the one in force; publishing a version never
 * changes an accepted case, which pinned its own copy at acceptance.
 */
export class PolicyRegistry {
  private readonly versions = new Map<string, Policy[]>();

  constructor(policies: readonly Policy[] = POLICY_PRESETS) {
    for (const p of policies) this.publish(p);
  }

  publish(policy: Policy): void {
    const parsed = Policy.parse(policy);
    const list = this.versions.get(parsed.id) ?? [];
    if (list.some((p) => p.version >= parsed.version)) {
      throw new Error(`policy ${parsed.id} already has version ${parsed.version} or later`);
    }
    this.versions.set(parsed.id, [...list, parsed]);
  }

  inForce(id: string): Policy | undefined {
    const list = this.versions.get(id);
    return list?.[list.length - 1];
  }

  /** One version of a policy (a case names the version it pinned), or undefined. */
  version(id: string, version: number): Policy | undefined {
    return this.versions.get(id)?.find((p) => p.version === version);
  }

  ids(): string[] {
    return [...this.versions.keys()];
  }
}
