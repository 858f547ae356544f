import assert from 'node:assert/strict';
import type { z } from 'zod';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AccessLogPage } from '../../shared/api/access-log';
import { IssuedKey, KeyList, KeyView, LabAdded, RotatedKey } from '../../shared/api/admin';
import { AnyCaseView, Me, Receipt } from '../../shared/api/responses';
import { uniqueId } from '../helpers/workers';
import { assertProblem, decision, file, ok, untilStage, withGateway, type Gateway } from './support';

/**
 * Issue 19: machine credentials managed through the API without a restart, and an access log of everything
 * restricted. The gateway reads its key store from a file, as it does in a deployment.
 */

const accessLog = async (gw: Gateway, query: string) =>
  ok(await gw.call(gw.parties.chair, 'GET', `/v1/access-log?${query}`), AccessLogPage).items;

describe('gateway: administrators and the access log (issue 19)', () => {
  it('issues a key that works at once and refuses it on the first request after its revocation', async () => {
    await withGateway(async (gw) => {
      const { admin } = gw.parties;
      const issued = ok(
        await gw.call(admin, 'POST', '/v1/admin/keys', { principal: 'agency:NSA', holder: 'NSA pipeline' }),
        IssuedKey,
        201,
      );
      assert.equal(issued.state, 'ACTIVE');
      const me = ok(await gw.call(issued.key, 'GET', '/v1/me'), Me);
      assert.deepEqual(me, { principal: 'agency:NSA', role: 'agency', keyId: issued.id });

      const listed = ok(await gw.call(admin, 'GET', '/v1/admin/keys'), KeyList).items;
      const row = listed.find((k) => k.id === issued.id)!;
      // The change names the administrator's own key and its holder, not only `admin` (issue 36, part 4).
      const byAdmin = gw.files.apiKeys.find(gw.keys.admin)!;
      assert.deepEqual(
        [row.holder, row.state, row.createdBy],
        ['NSA pipeline', 'ACTIVE', `admin: key ${byAdmin.id} held by ${byAdmin.holder}`],
      );
      assert.ok(!JSON.stringify(listed).includes(issued.key), 'a listing never shows a key');

      assertProblem(
        await gw.call(admin, 'POST', `/v1/admin/keys/${issued.id}/expiry`, {
          expiresAt: '2020-01-01T00:00:00Z',
        }),
        422,
        'EXPIRY_IN_THE_PAST',
      );
      const revoked = ok(await gw.call(admin, 'POST', `/v1/admin/keys/${issued.id}/revocation`, {}), KeyView);
      assert.equal(revoked.state, 'REVOKED');
      const refused = assertProblem(await gw.call(issued.key, 'GET', '/v1/me'), 401, 'UNAUTHENTICATED');
      assert.equal(refused.detail, 'the API key was revoked');
      assertProblem(
        await gw.call(admin, 'POST', `/v1/admin/keys/${issued.id}/revocation`, {}),
        409,
        'KEY_NOT_ACTIVE',
      );

      const adminKeyId = gw.files.apiKeys.find(gw.keys.admin)!.id;
      const log = ok(await gw.call(admin, 'GET', '/v1/access-log?pageSize=10'), AccessLogPage).items;
      assert.deepEqual(
        log.filter((e) => e.subject === issued.id).map((e) => [e.action, e.principal, e.keyId]),
        [
          ['KEY_REVOKED', 'admin', adminKeyId],
          ['KEY_ISSUED', 'admin', adminKeyId],
        ],
      );
    });
  });

  it('rotates a key with no refused request: old and new both work until the old one is ended', async () => {
    await withGateway(async (gw) => {
      const { admin } = gw.parties;
      const old = ok(
        await gw.call(admin, 'POST', '/v1/admin/keys', { principal: 'ops', holder: 'night shift' }),
        IssuedKey,
        201,
      );
      // A client keeps calling with its key while the rotation happens, then switches to the new one.
      let current = old.key;
      let stop = false;
      const statuses: number[] = [];
      const client = (async () => {
        while (!stop) {
          statuses.push((await gw.call(current, 'GET', '/v1/me')).status);
          // Let the rotation's file I/O run between two requests.
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      let rotated: z.infer<typeof RotatedKey>;
      try {
        rotated = ok(
          await gw.call(admin, 'POST', `/v1/admin/keys/${old.id}/rotation`, { overlapHours: 1 }),
          RotatedKey,
          201,
        );
        statuses.push((await gw.call(old.key, 'GET', '/v1/me')).status);
        current = rotated.key;
        statuses.push((await gw.call(current, 'GET', '/v1/me')).status);
      } finally {
        stop = true;
        await client;
      }
      assert.ok(statuses.length >= 2);
      assert.deepEqual([...new Set(statuses)], [200], 'no request was refused during the rotation');
      assert.equal(rotated.replaces, old.id);
      assert.equal(rotated.holder, 'night shift');
      const overlapEnd = Date.parse(rotated.previous.expiresAt!);
      assert.ok(
        Math.abs(overlapEnd - (Date.now() + 3_600_000)) < 60_000,
        'the old key ends with the overlap',
      );
      ok(await gw.call(admin, 'POST', `/v1/admin/keys/${old.id}/revocation`, {}), KeyView);
      assertProblem(await gw.call(old.key, 'GET', '/v1/me'), 401, 'UNAUTHENTICATED');
      ok(await gw.call(rotated.key, 'GET', '/v1/me'), Me);
    });
  });

  it('adds a lab with its key and its callback secret, once', async () => {
    await withGateway(async (gw) => {
      const labId = uniqueId('lab');
      const added = ok(
        await gw.call(gw.parties.admin, 'POST', '/v1/admin/labs', { labId, holder: 'lab CI' }),
        LabAdded,
        201,
      );
      const secrets = JSON.parse(await readFile(gw.files.callbackSecretsFile, 'utf8')) as Record<
        string,
        string[]
      >;
      assert.deepEqual(secrets[labId], [added.callbackSecret]);
      assert.deepEqual(ok(await gw.call(added.key.key, 'GET', '/v1/me'), Me).principal, `lab:${labId}`);
      assertProblem(
        await gw.call(gw.parties.admin, 'POST', '/v1/admin/labs', { labId, holder: 'lab CI' }),
        409,
        'LAB_ALREADY_EXISTS',
      );
    });
  });

  it('records every government read of a case and every restricted note opened, for the chair to query', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, ops, chair } = gw.parties;
      const id = await file(gw);
      // Waiting reads as the lab, whose reads of its own case are not restricted and not logged.
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const note = { restrictedNote: 'classified: exploit chain observed' };
      ok(
        await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decision('CONCERNS_MITIGATED', note)),
        Receipt,
      );
      for (const who of [lab, NSA, ops]) ok(await gw.call(who, 'GET', `/v1/submissions/${id}`), AnyCaseView);

      const entries = await accessLog(gw, `caseId=${id}`);
      assert.deepEqual(
        entries.map((e) => [e.principal, e.action, e.count]).reverse(),
        [
          [NSA, 'CASE_READ', undefined],
          [NSA, 'NOTES_OPENED', 1],
          [ops, 'CASE_READ', undefined],
        ],
        'the lab’s read of its own case is not restricted; operations staff open no note',
      );
      for (const e of entries) assert.equal(e.keyId, gw.files.apiKeys.find(gw.keys[e.principal])!.id);
      // Reading the log is itself recorded.
      const reads = await accessLog(gw, `caseId=${id}&action=ACCESS_LOG_READ`);
      assert.deepEqual(
        reads.map((e) => e.principal),
        [chair],
      );
      assertProblem(await gw.call(ops, 'GET', '/v1/access-log'), 403, 'FORBIDDEN');
    });
  });

  it('serves nothing restricted when the access log cannot be written', async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
      // The log's file becomes a directory: no line can be appended.
      const logFile = path.join(gw.files.dir, 'access-log.jsonl');
      await rm(logFile, { force: true });
      await mkdir(logFile);
      const res = await gw.call(gw.parties.chair, 'GET', `/v1/submissions/${id}`);
      assertProblem(res, 503, 'ACCESS_LOG_UNAVAILABLE');
      assert.ok(!res.text.includes('"stage"'), 'no part of the case was served');
      // The lab's read of its own case is not restricted and needs no log line.
      assert.equal((await gw.call(gw.parties.lab, 'GET', `/v1/submissions/${id}`)).status, 200);
    });
  });
});
