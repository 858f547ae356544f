import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { Policy } from '../../shared/domain/policy';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { withGateway, type Gateway } from '../gateway/support';

export { SCREENSHOTS, sharedChromium } from '../helpers/chromium';

export const TEMPORAL_UI = 'http://temporal-ui.test:8233';

/**
 * A test policy: the default preset with its at-risk threshold at 1% of a stage's time instead of 80%. With a
 * release planned 10 minutes away (SHORT_NOTICE compresses the 45-day national-security stage into 5 minutes)
 * its stage is AT_RISK about 3 s after acceptance and stays so for minutes: a real flag, computed by the real
 * workflow on the real dev server, without a test waiting out 80% of a stage.
 */
export const QUICK_RISK_POLICY: Policy = {
  // Without Washington's business calendar: a compressed deadline stays minutes away instead of moving to
  // close of business (and so to the window's end), which keeps the page's what-if projection visible.
  ...withoutBusinessCalendar(DEFAULT_POLICY),
  id: 'dashboard-quick-risk',
  version: 1,
  title: 'Test policy: at risk at 1% of a stage',
  atRiskFraction: 0.01,
};

function withoutBusinessCalendar(p: Policy): Policy {
  const { businessDays: _calendar, chairMinimum: _chair, ...rest } = p;
  return rest;
}

export interface LiveGateway extends Gateway {
  /** Where the browser loads the gateway, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
}

/** withGateway with the quick-risk policy and a Temporal UI URL, listening on a real port for the browser. */
export async function withLiveGateway(fn: (gw: LiveGateway) => Promise<void>): Promise<void> {
  const policies = new PolicyRegistry([...POLICY_PRESETS, QUICK_RISK_POLICY]);
  await withGateway((gw) => fn({ ...gw, baseUrl: gw.baseUrl! }), {
    policies,
    // A Web UI whose users can decode (docs/administrators.md "Security and threat model"): the case page
    // links to it.
    temporalUi: { url: TEMPORAL_UI, decodes: true },
    listen: true,
  });
}

/**
 * Runs axe-core on the page as it stands and fails on any serious or critical violation, listing each rule
 * with the elements that break it.
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
  assert.deepEqual(severe, [], `${what}: serious or critical accessibility violations`);
}
