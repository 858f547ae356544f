import { createHash } from 'node:crypto';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { PasskeyAssertion, PasskeyRegistration, PasskeyRequestOptions } from '../shared/api/passkeys';
import type { ActedBy } from '../shared/domain/acted-by';
import type { PasskeyRecord, Passkeys } from '../shared/node/passkeys';
import { passkeyChallenge, verifyPasskeyProof, type PasskeyProof } from '../shared/node/passkey-proof';
import { ApiError, storeChange } from './problem';

/** Where passkeys are bound: the domain (WebAuthn's relying party id) and the origins pages are served from. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

type Person = Extract<ActedBy, { kind: 'PERSON' }>;

/** How long a registration's challenge is good for, and how long the authenticator may take to sign. */
const CEREMONY_MS = 5 * 60_000;
/** Most registrations a person may have pending at once: a page reloaded, another tab. */
const PENDING_PER_PERSON = 4;
/** ES256, EdDSA and RS256: what platform authenticators and security keys make. */
const ALGORITHMS = [-7, -8, -257];

const personKey = (p: { issuer: string; subject: string }) => `${p.issuer} ${p.subject}`;

/** The origin the browser names in an assertion's clientDataJSON, if it names one. */
function clientOrigin(clientDataJSON: string): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      origin?: unknown;
    };
    return typeof data.origin === 'string' ? data.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * People's passkeys (issue 36, part 2), the gateway's side of WebAuthn: a person signed in registers one (the
 * registration's challenge is kept here for five minutes, used once), then signs each act with it. The challenge
 * of an act is its statement's SHA-256 (../shared/node/passkey-proof.ts); the statement's nonce makes it single
 * use, and the record refuses a statement it already holds.
 */
export class PasskeyCeremonies {
  /** Pending registrations' challenges, by person: in memory, so they end with the gateway (issue 39 shares them). */
  private readonly pending = new Map<string, { challenge: string; expires: number }[]>();

  constructor(
    readonly store: Passkeys,
    readonly rp: RelyingParty,
    private readonly now: () => number = Date.now,
  ) {}

  /** The options a person's browser creates a passkey with. */
  async registrationOptions(person: Person): Promise<Record<string, unknown>> {
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: person.name ?? person.subject,
      userDisplayName: person.name ?? person.subject,
      // A stable handle that names nobody: the SHA-256 of the issuer and subject.
      userID: new Uint8Array(createHash('sha256').update(personKey(person)).digest()),
      timeout: CEREMONY_MS,
      attestationType: 'none',
      excludeCredentials: this.active(person).map((p) => ({ id: p.id, transports: p.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    const now = this.now();
    const mine = (this.pending.get(personKey(person)) ?? []).filter((c) => c.expires > now);
    this.pending.set(personKey(person), [
      ...mine.slice(-(PENDING_PER_PERSON - 1)),
      { challenge: options.challenge, expires: now + CEREMONY_MS },
    ]);
    return options as unknown as Record<string, unknown>;
  }

  /** Registers the passkey a person's browser made for one of their pending challenges. */
  async register(
    person: Person,
    principal: string,
    response: z.infer<typeof PasskeyRegistration>,
  ): Promise<PasskeyRecord> {
    const key = personKey(person);
    const now = this.now();
    const mine = (this.pending.get(key) ?? []).filter((c) => c.expires > now);
    let used: string | undefined;
    const refused = (why: string): never => {
      throw new ApiError('PASSKEY_REGISTRATION_INVALID', why);
    };
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: (challenge) => {
        used = mine.find((c) => c.challenge === challenge)?.challenge;
        return used !== undefined;
      },
      expectedOrigin: this.rp.origins,
      expectedRPID: this.rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    }).catch((err: Error) =>
      refused(
        mine.length === 0
          ? 'no registration is pending for you: ask for new options (they last five minutes)'
          : `the passkey's registration does not hold: ${err.message}`,
      ),
    );
    if (!verified.verified) refused('the passkey could not be verified');
    this.pending.set(
      key,
      mine.filter((c) => c.challenge !== used),
    );
    const { credential } = verified.registrationInfo!;
    return storeChange(() =>
      this.store.add({
        id: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        ...(credential.transports === undefined ? {} : { transports: credential.transports.slice(0, 8) }),
        issuer: person.issuer,
        subject: person.subject,
        ...(person.name === undefined ? {} : { name: person.name }),
        principal,
        registeredAt: new Date(now).toISOString(),
      }),
    );
  }

  /** A person's passkeys in force. */
  active(person: { issuer: string; subject: string }): PasskeyRecord[] {
    return this.store.of(person).filter((p) => p.revokedAt === undefined);
  }

  /** What the person's browser asks the authenticator to sign for a statement. */
  requestOptions(person: Person, statement: string): z.infer<typeof PasskeyRequestOptions> {
    return {
      challenge: passkeyChallenge(statement),
      rpId: this.rp.id,
      allowCredentials: this.active(person).map((p) => ({
        id: p.id,
        type: 'public-key' as const,
        ...(p.transports === undefined ? {} : { transports: p.transports }),
      })),
      userVerification: 'required',
      timeout: CEREMONY_MS,
    };
  }

  /**
   * The proof of a person's act: their assertion over the statement, by a passkey of theirs in force, for this
   * relying party at one of its origins; or SIGNATURE_INVALID saying what does not hold.
   */
  async prove(person: Person, statement: string, assertion: PasskeyAssertion): Promise<PasskeyProof> {
    const invalid = (message: string): never => {
      throw new ApiError('SIGNATURE_INVALID', message);
    };
    const passkey = this.store.find(assertion.id);
    if (passkey === undefined || passkey.issuer !== person.issuer || passkey.subject !== person.subject) {
      return invalid(`passkey ${assertion.id} is not registered to you`);
    }
    if (passkey.revokedAt !== undefined) invalid(`passkey ${passkey.id} was revoked at ${passkey.revokedAt}`);
    const origin = clientOrigin(assertion.response.clientDataJSON);
    if (origin === undefined || !this.rp.origins.includes(origin)) {
      return invalid(`the passkey signed at ${origin ?? 'no origin'}, not at this gateway's pages`);
    }
    const proof: PasskeyProof = {
      kind: 'PASSKEY',
      authenticatorData: assertion.response.authenticatorData,
      clientDataJSON: assertion.response.clientDataJSON,
      signature: assertion.response.signature,
      ...(assertion.response.userHandle === undefined ? {} : { userHandle: assertion.response.userHandle }),
      rpId: this.rp.id,
      origin,
      credential: {
        id: passkey.id,
        publicKey: passkey.publicKey,
        issuer: passkey.issuer,
        subject: passkey.subject,
        registeredAt: passkey.registeredAt,
      },
    };
    const checked = await verifyPasskeyProof(statement, proof, passkey.counter);
    if (!checked.ok) return invalid(checked.problem);
    if (checked.counter > passkey.counter) await this.store.counted(passkey.id, checked.counter);
    return proof;
  }
}
