/**
 * The legacy consequence: binary. Delinquent (suspended) once retries are
 * exhausted, whatever the reason or the amount; nothing before that.
 */
import { ladder, type ConsequenceLadder } from './ladder.js';

export function binaryDelinquency(): ConsequenceLadder {
  return ladder('binary', [
    { name: 'delinquent', level: 'suspend', when: { retriesExhausted: true }, writeOff: true },
    { name: 'written_off', level: 'suspend', when: { writtenOff: true } },
  ]);
}
