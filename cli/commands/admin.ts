import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { publicJwkOf } from '../../shared/node/act-statement';
import { recordSigner } from '../../shared/node/record-keys';
import path from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { AccessLogPage } from '../../shared/api/access-log';
import type { IssuedKey, KeyList, KeyView, LabAdded, RotatedKey } from '../../shared/api/admin';
import { KeyPrincipal } from '../../shared/api/admin';
import type { RegisteredPasskey, RegisteredPasskeyList } from '../../shared/api/passkeys';
import { bootstrapAdmin } from '../../shared/node/api-keys';
import { addLabSecret } from '../../shared/node/callback-secrets';
import { loadConfig } from '../../shared/node/config';
import { noteKeyRing, payloadKeyRing } from '../../shared/node/sealing';
import { PROJECT_ROOT } from '../../shared/node/tools';
import { contextOf, isoInstant, positiveInt } from '../context';
import { UsageError } from '../errors';
import { table, when } from '../output';

type Key = z.infer<typeof KeyView>;

const keyRow = (k: Key) => [
  k.id,
  k.principal,
  k.holder,
  k.state,
  when(k.createdAt),
  k.expiresAt === undefined ? '-' : when(k.expiresAt),
];
const KEY_COLUMNS = ['id', 'principal', 'holder', 'state', 'created', 'expires'];

const issuedText = (k: z.infer<typeof IssuedKey>) =>
  `Issued ${k.id} to ${k.holder} as ${k.principal}${k.expiresAt ? `, expiring ${when(k.expiresAt)}` : ''}.\n` +
  `Key (shown this once; only its hash is stored):\n  ${k.key}\n`;

function principal(value: string): string {
  const parsed = KeyPrincipal.safeParse(value);
  if (!parsed.success) throw new UsageError(`${value}: must be lab:<id>, agency:<ID>, chair, ops or admin`);
  return parsed.data;
}

/**
 * Administration. `admin bootstrap` runs on the gateway's host and writes the first administrator key to a
 * file; everything else goes through the API with an administrator key, and takes effect without a restart.
 */
export function register(program: Command): void {
  program.commandsGroup('Administration:');
  const admin = program.command('admin').description('Set up a deployment (on the gateway host)');
  admin
    .command('bootstrap')
    .description(
      "Create the deployment's first administrator key in its key store (API_KEYS_FILE) and write it to a " +
        'file readable by you alone (mode 0600); it is never printed. Refused once an administrator key exists.',
    )
    .requiredOption('--out <file>', 'where to write the key (must not exist)')
    .option('--holder <name>', 'who holds it', 'first administrator')
    .action(async (opts: { out: string; holder: string }) => {
      const file = path.resolve(PROJECT_ROOT, loadConfig().API_KEYS_FILE);
      const out = path.resolve(opts.out);
      // A refusal here is local (a key exists, the file exists): nothing was sent, exit 2.
      const { id } = await bootstrapAdmin(file, out, opts.holder).catch((err: unknown) => {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      });
      process.stdout.write(
        `Administrator key ${id} written to ${out} (mode 0600).\n` +
          `Use it: FRONTIER_REVIEW_API_KEY=$(cat ${out}) frontier-review keys list\n`,
      );
    });

  admin
    .command('encryption')
    .description(
      'Key rings that seal what the product puts into Temporal (docs/administrators.md "Keys that seal and sign")',
    )
    .command('init')
    .description(
      'Create the payload and note key rings where the configuration puts them (PAYLOAD_KEYS_FILE, ' +
        'NOTE_KEYS_FILE, default DATA_DIR/keys/), each with one random key, mode 0600; an existing ring is kept',
    )
    .action(() => {
      const config = loadConfig();
      for (const [name, ring] of [
        ['payload', payloadKeyRing(config, true)],
        ['note', noteKeyRing(config, true)],
      ] as const) {
        process.stdout.write(
          `${name} key ring: ${ring.created ? 'created' : 'kept'} (${ring.ring.ids().length} key(s))\n`,
        );
      }
    });

  admin
    .command('record-keys')
    .description(
      'The Ed25519 pair that signs closed cases\' permanent records (docs/administrators.md "The permanent record")',
    )
    .command('init')
    .description(
      'Create the signing key (RECORD_SIGNING_KEY_FILE, mode 0600) and its public verifying key ' +
        '(RECORD_VERIFYING_KEY_FILE; default DATA_DIR/keys/); an existing pair is kept',
    )
    .action(() => {
      const signer = recordSigner(loadConfig(), true);
      process.stdout.write(`record signing key ${signer.keyId}: ${signer.created ? 'created' : 'kept'}\n`);
    });

  admin
    .command('lab-secret')
    .description(
      "Create a lab's callback secret in CALLBACK_SECRETS_FILE (for a lab whose key was made without one); " +
        'printed this once. `labs add` makes both at once.',
    )
    .argument('<labId>')
    .action(async (labId: string) => {
      const file = path.resolve(PROJECT_ROOT, loadConfig().CALLBACK_SECRETS_FILE);
      const secret = await addLabSecret(file, labId);
      if (secret === undefined) throw new UsageError(`lab ${labId} already has a callback secret in ${file}`);
      process.stdout.write(
        `Callback secret of ${labId}, written to ${file} (shown this once):\n  ${secret}\n`,
      );
    });

  const keys = program.command('keys').description('API keys of machines and service accounts (admin)');
  keys
    .command('list')
    .description('Every key: holder, principal and state (never the key)')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const list = await ctx.api.get<z.infer<typeof KeyList>>('v1/admin/keys');
      ctx.emit(list, (x) => table(KEY_COLUMNS, x.items.map(keyRow)));
    });
  keys
    .command('issue')
    .description('Issue a key to a named holder (shown once)')
    .argument('<principal>', 'lab:<id>, agency:<ID>, chair, ops or admin', principal)
    .requiredOption('--holder <name>', 'the person, team or service account that holds it')
    .option('--expires <instant>', 'when it expires (ISO 8601)', isoInstant)
    .option('--security-contact', "a lab key: its holder is one of the lab's named security contacts")
    .action(
      async (
        p: string,
        opts: { holder: string; expires?: string; securityContact?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const body = {
          principal: p,
          holder: opts.holder,
          expiresAt: opts.expires,
          ...(opts.securityContact === true ? { securityContact: true } : {}),
        };
        ctx.emit(await ctx.api.post<z.infer<typeof IssuedKey>>('v1/admin/keys', body), issuedText);
      },
    );
  keys
    .command('rotate')
    .description('A new key for the same holder; the old one stays valid for the overlap')
    .argument('<keyId>')
    .option('--overlap-hours <n>', 'how long both are valid (default 24)', positiveInt)
    .action(async (id: string, opts: { overlapHours?: number }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const rotated = await ctx.api.post<z.infer<typeof RotatedKey>>(
        `v1/admin/keys/${encodeURIComponent(id)}/rotation`,
        opts.overlapHours === undefined ? {} : { overlapHours: opts.overlapHours },
      );
      ctx.emit(
        rotated,
        (r) =>
          `${issuedText(r)}The previous key ${r.previous.id} stays valid until ${when(r.previous.expiresAt)}.\n`,
      );
    });
  keys
    .command('expire')
    .description('Set when a key expires')
    .argument('<keyId>')
    .requiredOption('--at <instant>', 'when (ISO 8601)', isoInstant)
    .action(async (id: string, opts: { at: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const changed = await ctx.api.post<Key>(`v1/admin/keys/${encodeURIComponent(id)}/expiry`, {
        expiresAt: opts.at,
      });
      ctx.emit(changed, (k) => `Key ${k.id} of ${k.holder} expires ${when(k.expiresAt)}\n`);
    });
  keys
    .command('revoke')
    .description('Revoke a key: refused from the next request on')
    .argument('<keyId>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const changed = await ctx.api.post<Key>(`v1/admin/keys/${encodeURIComponent(id)}/revocation`, {});
      ctx.emit(changed, (k) => `Key ${k.id} of ${k.holder} revoked at ${when(k.revokedAt)}\n`);
    });

  keys
    .command('add-signing-key')
    .description(
      "Register the Ed25519 public key an agency's or the chair's system signs its acts with (issue 36; the " +
        'system keeps the private half and names it in FRONTIER_REVIEW_SIGNING_KEY)',
    )
    .argument('<keyId>', 'the API key the system uses')
    .requiredOption('--public-key <pem>', 'the public key, a PEM file (SubjectPublicKeyInfo)')
    .action(async (id: string, opts: { publicKey: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      let jwk: object;
      try {
        jwk = (await publicJwkOf(createPublicKey(readFileSync(path.resolve(opts.publicKey), 'utf8')))).jwk;
      } catch (err) {
        throw new UsageError(`--public-key: not an Ed25519 public key: ${(err as Error).message}`);
      }
      const changed = await ctx.api.post<Key>(`v1/admin/keys/${encodeURIComponent(id)}/signing-keys`, {
        publicKey: jwk,
      });
      ctx.emit(changed, (k) => {
        const added = k.signingKeys?.at(-1);
        return `Signing key ${added?.id} registered for ${k.id} (${k.holder}, ${k.principal})\n`;
      });
    });

  keys
    .command('revoke-signing-key')
    .description(
      'Revoke a signing key: acts it signs are refused from now on; what it signed stays checkable',
    )
    .argument('<signingKeyId>')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const changed = await ctx.api.post<z.infer<typeof KeyList>>(
        `v1/admin/signing-keys/${encodeURIComponent(id)}/revocation`,
        {},
      );
      ctx.emit(changed, (l) => `Signing key ${id} revoked (on ${l.items.map((k) => k.id).join(', ')})\n`);
    });

  keys
    .command('passkeys')
    .description("Every person's passkey (issue 36): whose it is, acting as whom, and whether it is revoked")
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const list = await ctx.api.get<z.infer<typeof RegisteredPasskeyList>>('v1/admin/passkeys');
      ctx.emit(list, (l) =>
        l.items
          .map(
            (p) =>
              `${p.id}  ${p.name ?? p.subject} (${p.issuer} ${p.subject}) as ${p.principal}, registered ` +
              `${when(p.registeredAt)}${p.revokedAt === undefined ? '' : `, revoked ${when(p.revokedAt)}`}\n`,
          )
          .join(''),
      );
    });

  keys
    .command('revoke-passkey')
    .description(
      "Revoke a person's passkey (a person who left, a lost device): acts it signs are refused from now on",
    )
    .argument('<passkeyId>')
    // A passkey's id is the authenticator's credential id in base64url, which may begin with '-': it is the
    // argument, not an option (the command has no options of its own to mistake it for).
    .allowUnknownOption()
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const revoked = await ctx.api.post<z.infer<typeof RegisteredPasskey>>(
        `v1/admin/passkeys/${encodeURIComponent(id)}/revocation`,
        {},
      );
      ctx.emit(revoked, (p) => `Passkey ${p.id} of ${p.name ?? p.subject} revoked at ${when(p.revokedAt)}\n`);
    });

  const labs = program.command('labs').description('Labs that file submissions (admin)');
  labs
    .command('add')
    .description('Add a lab: its first API key and its callback secret, each shown once')
    .argument('<labId>')
    .requiredOption('--holder <name>', 'who at the lab holds the key')
    .action(async (labId: string, opts: { holder: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const added = await ctx.api.post<z.infer<typeof LabAdded>>('v1/admin/labs', {
        labId,
        holder: opts.holder,
      });
      ctx.emit(
        added,
        (a) =>
          `Lab ${a.labId} added.\n${issuedText(a.key)}` +
          `Callback secret (verify the lab's callbacks with it; shown this once):\n  ${a.callbackSecret}\n`,
      );
    });

  program
    .command('access-log')
    .description('Who read which case, opened which restricted note, changed which key (admin, chair)')
    .option('--case <caseId>', 'one case (<labId>:<submissionId>)')
    .option('--submission <id>', 'every case filed under this submission id')
    .option('--principal <principal>', 'one reader')
    .option('--since <instant>', 'from then on', isoInstant)
    .option('--page-size <n>', 'entries per page (at most 100)', positiveInt)
    .option('--cursor <cursor>', 'the next page')
    .action(
      async (
        opts: {
          case?: string;
          submission?: string;
          principal?: string;
          since?: string;
          pageSize?: number;
          cursor?: string;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const page = await ctx.api.get<z.infer<typeof AccessLogPage>>('v1/access-log', {
          caseId: opts.case,
          submissionId: opts.submission,
          principal: opts.principal,
          since: opts.since,
          pageSize: opts.pageSize,
          cursor: opts.cursor,
        });
        ctx.emit(
          page,
          (p) =>
            table(
              ['at', 'principal', 'key', 'action', 'case', 'subject', 'count'],
              p.items.map((e) => [
                when(e.at),
                e.principal,
                e.keyId,
                e.action,
                e.caseId ?? e.submissionId,
                e.subject,
                e.count,
              ]),
            ) + (p.nextCursor === undefined ? '' : `next page: --cursor ${p.nextCursor}\n`),
        );
      },
    );
}
