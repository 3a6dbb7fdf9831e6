/** Kernel event kinds. */
export const EV_RENEWAL = 1;
export const EV_UPGRADE = 2;
export const EV_PM_UPDATE = 3;
export const EV_RETRY = 4;
export const EV_WAKE = 5;
export const EV_DELIVER = 6;
export const EV_ROLLBACK_LATE = 7;
export const EV_DAY = 8;
export const EV_PAY_OUT_OF_BAND = 9;
export const EV_AUTH_DONE = 10;
export const EV_AUTH_EXPIRED = 11;
export const EV_UPGRADE_AGAIN = 12;
export const EV_BAD_DEBT_CHECK = 13;
export const EV_WARM_UP_END = 14;
export const EV_SUPPORT_CONTACT = 15;
export const EV_DUNNING_CONTACT = 16;
export const EV_OFF_SESSION_ROLLBACK_LATE = 17;

export const KIND_NAMES: Readonly<Record<number, string>> = {
  [EV_RENEWAL]: 'renewal',
  [EV_UPGRADE]: 'upgrade',
  [EV_PM_UPDATE]: 'payment_method_update',
  [EV_RETRY]: 'retry',
  [EV_WAKE]: 'wake',
  [EV_DELIVER]: 'webhook_delivery',
  [EV_ROLLBACK_LATE]: 'late_rollback',
  [EV_DAY]: 'day',
  [EV_PAY_OUT_OF_BAND]: 'pay_out_of_band',
  [EV_AUTH_DONE]: 'authentication_done',
  [EV_AUTH_EXPIRED]: 'authentication_expired',
  [EV_UPGRADE_AGAIN]: 'upgrade_again',
  [EV_BAD_DEBT_CHECK]: 'bad_debt_check',
  [EV_WARM_UP_END]: 'warm_up_end',
  [EV_SUPPORT_CONTACT]: 'support_contact',
  [EV_DUNNING_CONTACT]: 'dunning_contact',
  [EV_OFF_SESSION_ROLLBACK_LATE]: 'late_off_session_rollback',
};
