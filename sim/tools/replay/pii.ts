/**
 * Synthetic personal data for exported runs (so redaction has something real
 * to replace), and the keyed pseudonyms that redaction writes instead.
 */
import { createHmac } from 'node:crypto';
import { hashString } from '../../world/kernel/rng.js';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'John',
  'Radia',
  'Ken',
  'Margaret',
  'Leslie',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Backus',
  'Perlman',
  'Thompson',
  'Hamilton',
  'Lamport',
];
const STREETS = ['Main St', 'Oak Ave', 'Elm St', 'Pine Rd', 'Maple Dr', 'Cedar Ln'];

export interface Person {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly address: { line1: string; line2: null; city: string; postal_code: string; state: string; country: string };
  readonly last4: string;
  readonly fingerprint: string;
}

export function syntheticPerson(accountId: number): Person {
  const h = hashString(String(accountId));
  const first = FIRST[h % FIRST.length]!,
    last = LAST[(h >>> 8) % LAST.length]!;
  return {
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${accountId}@example.com`,
    phone: `+1555${String(h % 10_000_000).padStart(7, '0')}`,
    address: {
      line1: `${((h >>> 4) % 9000) + 100} ${STREETS[(h >>> 12) % STREETS.length]}`,
      line2: null,
      city: 'Springfield',
      postal_code: String(((h >>> 16) % 90000) + 10000),
      state: 'IL',
      country: 'US',
    },
    last4: String(h % 10000).padStart(4, '0'),
    fingerprint: `fp${h.toString(36)}${accountId.toString(36)}`,
  };
}

/** What kind of personal datum a field holds, which decides its pseudonym's shape. */
export type PiiKind = 'email' | 'name' | 'phone' | 'address' | 'fingerprint';

/** A stable pseudonym: the same (key, kind, value) always gives the same pseudonym. */
export function pseudonym(key: string, kind: PiiKind, value: string): string {
  const digest = createHmac('sha256', key).update(`${kind}\u0000${value}`).digest('hex').slice(0, 12);
  switch (kind) {
    case 'email':
      return `user_${digest}@redacted.invalid`;
    case 'name':
      return `Person ${digest}`;
    case 'phone':
      return `+1000${parseInt(digest.slice(0, 8), 16).toString().padStart(10, '0').slice(0, 7)}`;
    case 'address':
      return `addr_${digest}`;
    case 'fingerprint':
      return `fp_${digest}`;
  }
}
