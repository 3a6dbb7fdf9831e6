/**
 * `billsim redact <in> <out>`: replaces emails, names, addresses, phone
 * numbers and card fingerprints in a recorded stream with stable pseudonyms
 * (a keyed hash: the same value always becomes the same pseudonym, so
 * accounts stay linked). Streams line by line; writes atomically.
 */
import type Stripe from 'stripe';
import { checkDistinctOutputs } from '../../lib/atomic-write.js';
import { InputError } from '../../lib/errors.js';
import { describeBad, readReplayRecords, ReplayWriter } from './format.js';
import { pseudonym, type PiiKind } from './pii.js';

/** The default key; set BILLSIM_REDACT_KEY (or --key) so pseudonyms cannot be reversed by guessing. */
export const DEFAULT_REDACT_KEY = 'billsim-redact-v1';

const FIELDS: Readonly<Record<string, PiiKind>> = {
  email: 'email',
  customer_email: 'email',
  receipt_email: 'email',
  payer_email: 'email',
  name: 'name',
  customer_name: 'name',
  phone: 'phone',
  customer_phone: 'phone',
  address: 'address',
  customer_address: 'address',
  shipping: 'address',
  customer_shipping: 'address',
  fingerprint: 'fingerprint',
};

/** Names that are not personal where they appear (a price's or a product's name, a plan nickname). */
const NOT_PERSONAL_PARENTS = new Set(['price', 'product', 'plan', 'coupon']);

export function redactValue(value: unknown, key: string, parentObject?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key, parentObject));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const kindOfObject = typeof object.object === 'string' ? object.object : parentObject;
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(object)) {
    const kind = FIELDS[field];
    if (kind === undefined || (kind === 'name' && NOT_PERSONAL_PARENTS.has(kindOfObject ?? '')))
      out[field] = redactValue(v, key, kindOfObject);
    else out[field] = redactLeaf(v, key, kind);
  }
  return out;
}

function redactLeaf(value: unknown, key: string, kind: PiiKind): unknown {
  if (typeof value === 'string') return pseudonym(key, kind, value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([field, v]) => [
      field,
      field === 'country' ? v : redactLeaf(v, key, kind),
    ]),
  );
}

/** Redacts a replay file or directory into one JSONL file; returns the number of events. Bad input: exit 2, nothing written. */
export async function redactFile(inPath: string, outPath: string, key: string): Promise<number> {
  checkDistinctOutputs([{ flag: '<out>', path: outPath }], [{ flag: '<in>', path: inPath }]);
  const writer = new ReplayWriter(outPath);
  let events = 0;
  try {
    for await (const r of readReplayRecords(inPath)) {
      if (r.kind === 'bad') throw new InputError(describeBad(r));
      if (r.kind === 'header') writer.write({ ...r.header, redacted: true });
      else {
        writer.write(redactValue(r.event, key) as Stripe.Event);
        events++;
      }
    }
    if (events === 0) throw new InputError(`${inPath}: no Stripe events to redact`);
    writer.finish();
    return events;
  } catch (error) {
    writer.abort();
    throw error;
  }
}
