/**
 * Every draw's slot, in one table. A draw is a hash of (stream, entity,
 * counter, slot) (sim/world/kernel/rng.ts): the slot names what the draw
 * decides, so two decisions never share a draw and adding one moves no other.
 * Values are fixed: changing one changes every run that uses it.
 */

/** Counters kept apart from every per-account serial: draws made once per account (its creation) or per run. */
export const COUNTER = {
  /** An account's creation draws (plan, provider, brand, card expiry, term, first renewal, first arrivals). */
  accountInit: 0x7fff0000,
  /** Support contacts: the k-th contact draws at accountSupport + k. */
  accountSupport: 0x7ffe0000,
  /** Clock skew of an account under fault weather: two draws, at clockSkew and clockSkew + 1. */
  clockSkew: 0x7ffe0000,
  /** The entity of the fault weather's own draws (one weather per run). */
  weatherRun: -1,
} as const;

/** The workload stream at an account's creation (counter COUNTER.accountInit). */
export const ACCOUNT_INIT = {
  planPick: 1,
  paypal: 2,
  brandPick: 3,
  cardExpires: 4,
  cardExpiryTime: 5,
  annualTerm: 6,
  firstRenewalTime: 7,
  hasPaidBefore: 8,
  firstUpgrade: 20,
  firstPaymentMethodUpdate: 21,
} as const;

/** The workload stream afterwards (counter: the account's workloadSerial; support contacts: COUNTER.accountSupport + k). */
export const WORKLOAD = {
  authenticationCompleted: 2,
  retriesAfterTimeout: 3,
  updatesAfterFailure: 10,
  updateAfterFailureDelay: 11,
  paysOutOfBand: 12,
  payOutOfBandDelay: 13,
  paysAfterSuspension: 14,
  payAfterSuspensionDelay: 15,
  nextUpgrade: 20,
  nextPaymentMethodUpdate: 21,
  supportContactDelay: 30,
} as const;

/**
 * The workload stream's dunning-contact draws (sim/world/engine/contacts.ts): contact k about an
 * invoice at (account, invoice id, CONTACT_SLOT_BASE + k * CONTACT_STRIDE + one of these), above every WORKLOAD slot.
 */
export const CONTACT_SLOT_BASE = 256;
export const CONTACT_STRIDE = 4;
export const CONTACT = { responds: 0, responseDelay: 1, cancels: 2 } as const;

/** The declines stream: attempt k of an invoice draws at k * ATTEMPT_STRIDE + one of these. */
export const ATTEMPT_STRIDE = 8;
export const DECLINES = {
  requiresAction: 1,
  newPaymentMethodSucceeds: 2,
  retrySucceeds: 3,
  firstAttemptFails: 4,
  declinePick: 5,
  /** A failed retry's decline code changes (the issuer starts answering do_not_honor). */
  codeShifts: 6,
} as const;

/** The declines stream's recovery draws about a customer (sim/world/model/recovery.ts), at (account, COUNTER.accountInit, slot). */
export const RECOVERY_CUSTOMER = { payCycle: 1, payPhase: 2, utcOffset: 3 } as const;
/** About an invoice, once (not per attempt): at (account, invoice id, RECOVERY_INVOICE_BASE + slot), past any attempt's slot. */
export const RECOVERY_INVOICE_BASE = 0x7fff0000;
export const RECOVERY_INVOICE = {
  arrives: 0,
  onPayday: 1,
  arrivalDelay: 2,
  accountUpdater: 3,
  accountUpdaterDelay: 4,
} as const;

/** The delivery stream (webhooks). A copy's base delay draws at copy * COPY_STRIDE + delay or tail. */
export const COPY_STRIDE = 16;
export const DELIVERY = {
  dropped: 2,
  dropBackoff: 3,
  duplicated: 4,
  duplicateDelay: 5,
  delay: 6,
  tail: 7,
  doubleEvent: 9,
} as const;

/** The faults stream: per-account fault draws (faultSerial) and fault-site draws (buggifySerial). */
export const FAULTS = {
  providerTimeout: 1,
  engineCfProdCallFails: 2,
  legacyCfProdCallFails: 3,
  rollbackFails: 4,
  rollbackLateDelay: 5,
  reorderDelay: 1,
  /** Fault site k (FAULT_SITES order) fires at SITE_BASE + k. */
  siteBase: 64,
} as const;

/** The fault weather's own draws (entity COUNTER.weatherRun): counter 0 site on, 1 site rate, 2 windows. */
export const WEATHER = { siteOn: 0, siteRate: 1, windows: 2, reorderWindow: 0, clockSkewMax: 1 } as const;

/** A replay's perturbation (its own delivery stream, entity the account, counter the event's serial). */
export const PERTURB = {
  dropped: 1,
  dropBackoff: 2,
  late: 3,
  lateDelay: 4,
  reordered: 5,
  reorderDelay: 6,
  duplicated: 7,
  duplicateDelay: 8,
} as const;
