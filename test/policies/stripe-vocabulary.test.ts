import { describe, expect, it } from 'vitest';
import { DECLINE_CODES } from '../../policies/decline-codes.js';
import {
  cardBrandOf,
  stripeDeclineCode,
  stripeDeclineFields,
  subscriptionStatusOf,
  STRIPE_SUBSCRIPTION_STATUSES,
} from '../../policies/stripe-vocabulary.js';
import { SUBSCRIPTION_STATUSES } from '../../policies/types.js';

describe('the Stripe vocabulary', () => {
  it('prefers decline_code over code and maps aliases', () => {
    expect(stripeDeclineCode('insufficient_funds', 'card_declined')).toEqual({
      declineCode: 'insufficient_funds',
      unmapped: false,
    });
    expect(stripeDeclineCode(null, 'expired_card')).toEqual({ declineCode: 'expired_card', unmapped: false });
    expect(stripeDeclineCode('pickup_card', 'card_declined').declineCode).toBe('stolen_card');
    expect(stripeDeclineCode('withdrawal_count_limit_exceeded', null).declineCode).toBe('card_velocity_exceeded');
    expect(stripeDeclineCode(null, 'card_declined')).toEqual({ declineCode: 'generic_decline', unmapped: false });
    expect(stripeDeclineCode('', 'expired_card').declineCode).toBe('expired_card');
    expect(stripeDeclineCode('some_new_code', 'card_declined').declineCode).toBe('generic_decline');
    expect(stripeDeclineCode('some_new_code', 'some_other_code')).toEqual({
      declineCode: 'generic_decline',
      unmapped: true,
    });
  });

  it('writes every decline code as Stripe fields that read back as the same code', () => {
    for (const code of DECLINE_CODES) {
      const fields = stripeDeclineFields(code);
      expect(stripeDeclineCode(fields.declineCode, fields.code)).toEqual({ declineCode: code, unmapped: false });
    }
  });

  it("reads every Stripe subscription status as one of the platform's, and the platform's as themselves", () => {
    for (const status of STRIPE_SUBSCRIPTION_STATUSES)
      expect(SUBSCRIPTION_STATUSES).toContain(subscriptionStatusOf(status));
    for (const status of SUBSCRIPTION_STATUSES) expect(subscriptionStatusOf(status)).toBe(status);
  });

  it('knows the card brands billsim models, and no others', () => {
    expect(cardBrandOf('card', 'mastercard')).toBe('mastercard');
    expect(cardBrandOf('paypal', undefined)).toBe('paypal');
    expect(cardBrandOf('card', 'discover')).toBeNull();
  });
});
