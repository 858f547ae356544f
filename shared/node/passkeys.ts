import { z } from 'zod';
import { Principal } from '../domain/principal';
import { OwnerFileStore } from './owner-file';

/**
 * People's passkeys (issue 36, part 2): a person signed in through the identity provider registers one once, and
 * signs each act that is signed with it (WebAuthn). The store is a local file beside the API keys (PASSKEYS_FILE),
 * changed under a lock and written atomically, read again when it changes; never in Temporal, whose history the
 * namespace's administrators read. It keeps public keys only: the private key never leaves the authenticator.
 */
const PasskeyRecord = z.strictObject({
  /** The credential's id (base64url), as the authenticator gave it. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(250),
  /** The credential's COSE public key, base64url. */
  publicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(2_000),
  /** The authenticator's signature counter at the last act: a clone that signs with an older count is refused. */
  counter: z.int().nonnegative(),
  transports: z.array(z.string().max(32)).max(8).optional(),
  /** The person: the identity provider's issuer and subject, the name it gave, and the principal they act as. */
  issuer: z.string().min(1).max(500),
  subject: z.string().min(1).max(255),
  name: z.string().max(200).optional(),
  principal: Principal,
  registeredAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().max(300).optional(),
});
export type PasskeyRecord = z.infer<typeof PasskeyRecord>;

const PasskeyFile = z.strictObject({ version: z.literal(1), passkeys: z.array(PasskeyRecord) });

/** A refused change of a passkey: the code the API answers with. */
export class PasskeyChangeError extends Error {
  constructor(
    readonly code: 'PASSKEY_NOT_FOUND' | 'PASSKEY_ALREADY_REGISTERED' | 'KEY_NOT_ACTIVE',
    message: string,
  ) {
    super(message);
  }
}

/** The person a passkey belongs to. */
export interface PasskeyOwner {
  issuer: string;
  subject: string;
}

const owns = (p: PasskeyRecord, who: PasskeyOwner): boolean =>
  p.issuer === who.issuer && p.subject === who.subject;

/** The passkeys of one deployment. */
export class Passkeys {
  private readonly store: OwnerFileStore<PasskeyRecord>;

  private constructor(readonly file: string) {
    this.store = new OwnerFileStore(file, 'passkey', PasskeyFile, 'passkeys');
  }

  /** Opens the store, creating an empty one when its file does not exist yet. */
  static open(file: string): Passkeys {
    return new Passkeys(file);
  }

  /** Every passkey ever registered, revoked ones too. */
  list(): PasskeyRecord[] {
    return this.store.list();
  }

  /** A person's passkeys, revoked ones too. */
  of(who: PasskeyOwner): PasskeyRecord[] {
    return this.list().filter((p) => owns(p, who));
  }

  find(id: string): PasskeyRecord | undefined {
    return this.list().find((p) => p.id === id);
  }

  /** Registers a passkey; one credential is registered once. */
  add(record: PasskeyRecord): Promise<PasskeyRecord> {
    return this.store.change((all) => {
      if (all.some((p) => p.id === record.id)) {
        throw new PasskeyChangeError('PASSKEY_ALREADY_REGISTERED', 'this passkey is already registered');
      }
      return { all: [...all, PasskeyRecord.parse(record)], result: record };
    });
  }

  /** Revokes one of a person's passkeys (`who` undefined: an administrator's, any person's). */
  revoke(id: string, by: string, who?: PasskeyOwner): Promise<PasskeyRecord> {
    return this.store.change((all) => {
      const found = all.find((p) => p.id === id && (who === undefined || owns(p, who)));
      if (found === undefined) throw new PasskeyChangeError('PASSKEY_NOT_FOUND', `no passkey ${id}`);
      if (found.revokedAt !== undefined) {
        throw new PasskeyChangeError('KEY_NOT_ACTIVE', `passkey ${id} was revoked at ${found.revokedAt}`);
      }
      const revoked = { ...found, revokedAt: new Date().toISOString(), revokedBy: by };
      return { all: all.map((p) => (p === found ? revoked : p)), result: revoked };
    });
  }

  /** Keeps the authenticator's counter after an act it signed. */
  counted(id: string, counter: number): Promise<void> {
    return this.store.change((all) => ({
      all: all.map((p) => (p.id === id && counter > p.counter ? { ...p, counter } : p)),
      result: undefined,
    }));
  }
}
