import { Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import type { SubmissionCreated } from '../../shared/api/responses';
import type { CallbackSecretRotated, CallbackSecretState } from '../../shared/api/callback-secrets';
import { MESSAGES } from '../../shared/domain/review/messages';
import type { Receipt } from '../../shared/domain/review/record';
import {
  caseArgument,
  casePath,
  contextOf,
  ensure,
  idempotencyKeyOption,
  isoInstant,
  receiptText,
} from '../context';
import { readJsonObject, readText } from '../input';

const number = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
};

interface KeyOption {
  idempotencyKey?: string;
}

interface SupplementOptions extends KeyOption {
  file?: string;
  modelName?: string;
  modelVersion?: string;
  trainingComputeFlop?: number;
  accessKind?: string;
  accessDetails?: string;
  callbackUrl?: string;
}

/** The supplement's fields: the file's, with each flag laid over them. */
function supplementFields(o: SupplementOptions): Record<string, unknown> {
  const fields = o.file === undefined ? {} : readJsonObject(o.file);
  const model = {
    ...(fields.model as object | undefined),
    ...(o.modelName === undefined ? {} : { name: o.modelName }),
    ...(o.modelVersion === undefined ? {} : { version: o.modelVersion }),
    ...(o.trainingComputeFlop === undefined ? {} : { trainingComputeFlop: o.trainingComputeFlop }),
  };
  const access = {
    ...(fields.access as object | undefined),
    ...(o.accessKind === undefined ? {} : { kind: o.accessKind }),
    ...(o.accessDetails === undefined ? {} : { details: o.accessDetails }),
  };
  const merged = {
    ...fields,
    ...(Object.keys(model).length === 0 ? {} : { model }),
    ...(Object.keys(access).length === 0 ? {} : { access }),
    ...(o.callbackUrl === undefined ? {} : { callbackUrl: o.callbackUrl }),
  };
  ensure(Object.keys(merged).length > 0, 'a supplement needs at least one field: --file or a field option');
  return merged;
}

/** What a lab does: file, then act on its own cases. */
export function register(program: Command): void {
  program.commandsGroup('Labs:');
  program
    .command('submit')
    .summary('File a submission (idempotent)')
    .description(
      'File a submission (lab). Safe to retry: the same --idempotency-key, or the same "submissionId" in the ' +
        'filing, returns the first case instead of a second one.',
    )
    .requiredOption(
      '--file <path>',
      "the filing as JSON (model, access, callbackUrl, plannedReleaseDate, ...); '-' reads stdin",
    )
    .addOption(idempotencyKeyOption())
    .action(async (opts: { file: string } & KeyOption, cmd: Command) => {
      const filing = readJsonObject(opts.file);
      const ctx = contextOf(cmd);
      const created = await ctx.api.post<z.infer<typeof SubmissionCreated>>(
        'v1/submissions',
        filing,
        opts.idempotencyKey,
      );
      ctx.emit(created, (c) =>
        c.created
          ? `Filed ${c.submissionId}: a new case, ${c.caseId}\n`
          : `Already filed as ${c.submissionId} (${c.caseId}): the first case stands, nothing new was filed\n`,
      );
    });

  program
    .command('supplement')
    .summary(MESSAGES.supplement.summary)
    .description(
      'Supplement a deficient filing (lab): the fields intake found missing; intake then runs again',
    )
    .addArgument(caseArgument())
    .option('--file <path>', "the fields to add as JSON ({ model, access, callbackUrl }); '-' reads stdin")
    .option('--model-name <name>')
    .option('--model-version <version>')
    .option('--training-compute-flop <flop>', 'training compute, e.g. 3e26', number)
    .addOption(new Option('--access-kind <kind>').choices(['API', 'WEIGHTS', 'HOSTED_ENVIRONMENT']))
    .option('--access-details <text>', 'how evaluators get access')
    .option('--callback-url <url>', 'where status callbacks go')
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: SupplementOptions, cmd: Command) => {
      const fields = supplementFields(opts);
      const ctx = contextOf(cmd);
      const r = await ctx.api.post<Receipt>(casePath(id, 'supplement'), { fields }, opts.idempotencyKey);
      ctx.emit(r, receiptText(`Supplemented ${id}; intake runs again`));
    });

  program
    .command('answer')
    .summary(MESSAGES.answerInformationRequest.summary)
    .description("Answer an agency's information request (lab); that agency's clock resumes")
    .addArgument(caseArgument())
    .argument('<requestId>', 'the request id (cases show lists them)')
    .argument('<answer>', "the answer text; '-' reads it from stdin")
    .addOption(idempotencyKeyOption())
    .action(async (id: string, requestId: string, answer: string, opts: KeyOption, cmd: Command) => {
      const text = answer === '-' ? readText('-') : answer;
      const ctx = contextOf(cmd);
      const path = casePath(id, 'information-requests', requestId, 'answer');
      const r = await ctx.api.post<Receipt>(path, { answer: text }, opts.idempotencyKey);
      ctx.emit(r, receiptText(`Answered request ${requestId} on ${id}`));
    });

  program
    .command('amend-release')
    .summary(MESSAGES.amendReleaseDate.summary)
    .description(
      "Move the planned release date (lab). Earlier than the window's end flags SHORT_NOTICE and compresses " +
        'the open government deadlines.',
    )
    .addArgument(caseArgument())
    .argument(
      '<date>',
      'the new planned release, e.g. 2027-10-01 (midnight UTC) or 2027-10-01T12:00:00Z',
      isoInstant,
    )
    .addOption(idempotencyKeyOption())
    .action(async (id: string, date: string, opts: KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await ctx.api.post<Receipt>(
        casePath(id, 'release-date'),
        { plannedReleaseDate: date },
        opts.idempotencyKey,
      );
      ctx.emit(r, receiptText(`Planned release of ${id} moved to ${date}`));
    });

  const offer = program
    .command('extension-offer')
    .description('Consent to or decline a window extension offered when the window is at risk (lab)');
  for (const [verb, accept] of [
    ['accept', true],
    ['decline', false],
  ] as const) {
    offer
      .command(verb)
      .description(accept ? 'Consent to the extension: the window ends later' : 'Decline the extension')
      .addArgument(caseArgument())
      .argument('<offerId>', 'the offer id (cases show lists them)')
      .addOption(idempotencyKeyOption())
      .action(async (id: string, offerId: string, opts: KeyOption, cmd: Command) => {
        const ctx = contextOf(cmd);
        const path = casePath(id, 'extension-offers', offerId, 'response');
        const r = await ctx.api.post<Receipt>(path, { accept }, opts.idempotencyKey);
        ctx.emit(r, receiptText(`${accept ? 'Accepted' : 'Declined'} extension offer ${offerId} on ${id}`));
      });
  }

  program
    .command('withdraw')
    .summary(MESSAGES.withdraw.summary)
    .description('Withdraw a submission (lab); the case closes and its record is kept')
    .addArgument(caseArgument())
    .option('--reason <text>', 'why, for the record')
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: { reason?: string } & KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await ctx.api.post<Receipt>(
        casePath(id, 'withdrawal'),
        { reason: opts.reason },
        opts.idempotencyKey,
      );
      ctx.emit(r, receiptText(`Withdrew ${id}`));
    });

  program
    .command('report-release')
    .summary(MESSAGES.reportRelease.summary)
    .description("Report the model's public release (lab); the case closes")
    .addArgument(caseArgument())
    .option('--released-at <date>', 'when it was released (default: now)', isoInstant)
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: { releasedAt?: string } & KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = { releasedAt: opts.releasedAt };
      const r = await ctx.api.post<Receipt>(casePath(id, 'release'), body, opts.idempotencyKey);
      ctx.emit(r, receiptText(`Reported the release of ${id}`));
    });

  program
    .command('callback-endpoint')
    .summary(MESSAGES.changeCallbackEndpoint.summary)
    .description('Change where status callbacks go (lab); pending and failing callbacks follow')
    .addArgument(caseArgument())
    .argument('<url>', 'the new callback endpoint')
    .addOption(idempotencyKeyOption())
    .action(async (id: string, url: string, opts: KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await ctx.api.post<Receipt>(
        casePath(id, 'callback-endpoint'),
        { callbackUrl: url },
        opts.idempotencyKey,
      );
      ctx.emit(r, receiptText(`Callbacks of ${id} now go to ${url}`));
    });

  registerCallbackSecret(program);
}

const secretStateText = (s: CallbackSecretState): string =>
  s.rotating
    ? `Callbacks of ${s.labId} are signed with two secrets: a rotation is under way\n`
    : `Callbacks of ${s.labId} are signed with ${s.secrets === 1 ? 'one secret' : 'no secret'}\n`;

/** The lab's own callback secret (issue 38): its state, a rotation, the rotation's completion. */
function registerCallbackSecret(program: Command): void {
  const secret = program
    .command('callback-secret')
    .description("Your lab's callback secret (lab): show its state, rotate it, complete the rotation");
  secret
    .command('show')
    .description('How many secrets sign your callbacks, and whether a rotation is under way (never a secret)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      ctx.emit(await ctx.api.get<CallbackSecretState>('v1/callback-secret'), secretStateText);
    });
  secret
    .command('rotate')
    .description(
      'A new secret, printed this once, signs beside the one in force until you complete the rotation; ' +
        'rotating again before that replaces the new secret',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await ctx.api.post<CallbackSecretRotated>('v1/callback-secret/rotation', {});
      ctx.emit(
        r,
        (x) =>
          `New callback secret of ${x.labId} (shown this once; callbacks are signed with it and the old one):\n` +
          `  ${x.secret}\nOnce your receiver verifies with it: frontier-review callback-secret complete\n`,
      );
    });
  secret
    .command('complete')
    .description('Retire the old secret: the new one alone signs your callbacks')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      ctx.emit(
        await ctx.api.post<CallbackSecretState>('v1/callback-secret/rotation/completion', {}),
        secretStateText,
      );
    });
}
