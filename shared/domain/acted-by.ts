import { z } from 'zod';

/**
 * Who made an act (issue 36, part 1), beside the principal it was made as: a person signed in through the
 * identity provider (its issuer and subject, and the name it gave), or a system with an API key (the key's id
 * and the holder it was issued to). The gateway sets it from the credential; no sender chooses it. One shape
 * for every record that keeps acts: a case's timeline and permanent record, and the records of findings,
 * commitments, grants and labs. The government side and the record see it; the lab never sees who in an
 * agency acted (gateway/views.ts). Built on first use: every cached workflow loads the envelope
 * (../envelope.ts), few parse a message.
 */
const build = () =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('PERSON'),
      issuer: z.string().min(1).max(500),
      subject: z.string().min(1).max(255),
      name: z.string().min(1).max(200).optional(),
    }),
    z.strictObject({
      kind: z.literal('SYSTEM'),
      keyId: z.string().min(1).max(100),
      holder: z.string().min(1).max(200),
    }),
  ]);

let built: ReturnType<typeof build> | undefined;
export const actedBy = (): ReturnType<typeof build> => (built ??= build());
export type ActedBy = z.infer<ReturnType<typeof build>>;

/** Who acted, in a few words for a table: the person's name (else subject), or the system's key id. */
export const describeActedBy = (by: ActedBy): string =>
  by.kind === 'PERSON' ? (by.name ?? by.subject) : `key ${by.keyId}`;
