import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { PROJECT_ROOT } from '../../shared/node/tools';

/** Where browser tests keep their screenshots, to be looked at. */
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

let shared: Promise<Browser> | undefined;

/**
 * One Chromium per mocha process, shared by every browser test file it runs (each test opens contexts of its
 * own, which share nothing); Playwright ends it when the process exits.
 */
export function sharedChromium(): Promise<Browser> {
  shared ??= launchChromium().then((browser) => {
    browser.on('disconnected', () => {
      shared = undefined;
    });
    return browser;
  });
  return shared;
}

/** Closes the process's shared Chromium, if it started one (a serial run's end; a parallel worker's pool ends it). */
export async function closeSharedChromium(): Promise<void> {
  const browser = shared;
  shared = undefined;
  await (await browser)?.close();
}

/** Debian's chromium, headless, with Chromium's own network chatter off (the network here is closed). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // launch() gives every run a fresh temporary user-data-dir and removes it on close.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A platform authenticator that verifies its user (as a PIN or a fingerprint would), through DevTools. */
export async function virtualAuthenticator(cdp: CDPSession): Promise<string> {
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}
