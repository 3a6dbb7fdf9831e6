/**
 * The fields a replay reads from an event's object (docs/replay.md, "What the
 * replay reads"), checked when the line is read: a recorded value of the wrong
 * type (an amount as a string, a status Stripe never sends) is bad input named
 * by its field, never a number the engines compute with.
 */

type Check = (value: unknown) => boolean;

interface FieldRule {
  /** Dotted path under data.object; `items.data.0.price` indexes arrays. */
  readonly path: string;
  readonly expected: string;
  readonly check: Check;
  readonly required?: boolean;
}

const isString: Check = (v) => typeof v === 'string';
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const wholeNonNegative: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const idOrObject: Check = (v) =>
  typeof v === 'string' || (v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string');
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);

const CUSTOMER: FieldRule = {
  path: 'customer',
  expected: 'a customer id (or an object with one)',
  check: orNull(idOrObject),
};

const INVOICE_RULES: readonly FieldRule[] = [
  { path: 'id', expected: 'a string', check: isString, required: true },
  CUSTOMER,
  {
    path: 'status',
    expected: 'draft, open, paid, uncollectible or void',
    check: orNull(oneOf('draft', 'open', 'paid', 'uncollectible', 'void')),
  },
  { path: 'amount_due', expected: 'whole cents, 0 or more', check: wholeNonNegative },
  { path: 'attempt_count', expected: 'a whole number, 0 or more', check: wholeNonNegative },
  { path: 'created', expected: 'integer seconds since the epoch', check: wholeNonNegative },
  { path: 'billing_reason', expected: 'a string', check: orNull(isString) },
  { path: 'status_transitions.paid_at', expected: 'integer seconds since the epoch', check: orNull(wholeNonNegative) },
  { path: 'charge', expected: 'a charge id (or an object with one)', check: orNull(idOrObject) },
  { path: 'payment_intent', expected: 'a payment intent id (or an object with one)', check: orNull(idOrObject) },
];

const INTENT: FieldRule = {
  path: 'payment_intent',
  expected: 'a payment intent id (or an object with one)',
  check: orNull(idOrObject),
};
const INVOICE_LINK: FieldRule = {
  path: 'invoice',
  expected: 'an invoice id (or an object with one)',
  check: orNull(idOrObject),
};

const CHARGE_RULES: readonly FieldRule[] = [
  { path: 'id', expected: 'a string', check: isString, required: true },
  CUSTOMER,
  { path: 'created', expected: 'integer seconds since the epoch', check: wholeNonNegative, required: true },
  { path: 'status', expected: 'succeeded, pending or failed', check: oneOf('succeeded', 'pending', 'failed') },
  INTENT,
  INVOICE_LINK,
  { path: 'payment_method', expected: 'a payment method id', check: orNull(isString) },
  { path: 'outcome.reason', expected: 'a string', check: orNull(isString) },
  { path: 'outcome.network_decline_code', expected: 'a string', check: orNull(isString) },
  { path: 'outcome.network_advice_code', expected: 'a string', check: orNull(isString) },
  { path: 'failure_code', expected: 'a string', check: orNull(isString) },
];

const PAYMENT_INTENT_RULES: readonly FieldRule[] = [
  { path: 'id', expected: 'a string', check: isString, required: true },
  CUSTOMER,
  INVOICE_LINK,
  { path: 'latest_charge', expected: 'a charge id (or an object with one)', check: orNull(idOrObject) },
  { path: 'last_payment_error.decline_code', expected: 'a string', check: orNull(isString) },
  { path: 'last_payment_error.code', expected: 'a string', check: orNull(isString) },
];

const INVOICE_PAYMENT_RULES: readonly FieldRule[] = [
  { path: 'id', expected: 'a string', check: isString, required: true },
  { ...INVOICE_LINK, required: true },
  { ...INTENT, path: 'payment.payment_intent' },
  { path: 'payment.charge', expected: 'a charge id (or an object with one)', check: orNull(idOrObject) },
];

const SUBSCRIPTION_RULES: readonly FieldRule[] = [
  CUSTOMER,
  { path: 'status', expected: 'a string', check: isString },
  { path: 'cancel_at_period_end', expected: 'true or false', check: (v) => typeof v === 'boolean' },
  { path: 'items.data.0.price.id', expected: 'a string', check: isString },
  { path: 'items.data.0.price.unit_amount', expected: 'whole cents, 0 or more', check: orNull(wholeNonNegative) },
];

const CUSTOMER_RULES: readonly FieldRule[] = [
  { path: 'id', expected: 'a string', check: isString, required: true },
  {
    path: 'invoice_settings.default_payment_method',
    expected: 'a payment method id (or an object with one)',
    check: orNull(idOrObject),
  },
];

function rulesFor(type: string, objectKind: unknown): readonly FieldRule[] {
  if (type.startsWith('invoice.') && objectKind === 'invoice') return INVOICE_RULES;
  if (type.startsWith('charge.') && objectKind === 'charge') return CHARGE_RULES;
  if (type.startsWith('payment_intent.') && objectKind === 'payment_intent') return PAYMENT_INTENT_RULES;
  if (type.startsWith('invoice_payment.') && objectKind === 'invoice_payment') return INVOICE_PAYMENT_RULES;
  if (type.startsWith('customer.subscription.')) return SUBSCRIPTION_RULES;
  if (type === 'customer.created' || type === 'customer.updated') return CUSTOMER_RULES;
  return [];
}

/** The value at a dotted path, or undefined when any step is missing. */
function at(object: unknown, path: string): unknown {
  let value = object;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Why an event's object has a field the replay cannot read, or null. */
export function objectFieldProblem(type: string, object: Record<string, unknown>): string | null {
  for (const rule of rulesFor(type, object.object)) {
    const value = at(object, rule.path);
    if (value === undefined ? rule.required === true : !rule.check(value)) {
      return `data.object.${rule.path}: expected ${rule.expected}, got ${JSON.stringify(value) ?? 'nothing'}`;
    }
  }
  return null;
}
