/**
 * The vocabulary of a ladder state: what the platform does to an account in
 * that state. A state is written as its actions; its consequence level (what
 * cf_prod and the entitlements see), write-off and cancellation follow.
 */
import { CONSEQUENCE_LEVELS, severityOf, type ConsequenceLevel } from '../types.js';
import type { LadderCondition, LadderState } from './ladder.js';

export const LADDER_ACTIONS = [
  'notify',
  'restrict_premium',
  'block_plan_changes',
  'disable_entitlements',
  'cancel_immediately',
  'cancel_at_term_end',
  'write_off',
] as const;
export type LadderAction = (typeof LADDER_ACTIONS)[number];

export const ACTION_DESCRIPTIONS: Readonly<Record<LadderAction, string>> = {
  notify: 'tell the customer (email, in-app banner); access unchanged',
  restrict_premium: 'premium features off, core access kept',
  block_plan_changes: 'no upgrades, downgrades or add-ons (Kill Bill blockChanges)',
  disable_entitlements: 'all access off, subscription kept (Kill Bill disableEntitlementAndChangesBlocked)',
  cancel_immediately: 'cancel the subscription now',
  cancel_at_term_end: 'cancel when the current term ends; access kept until then',
  write_off: 'mark the owed invoices uncollectible (bad debt)',
};

/** The consequence level each action implies on its own; a state's level is the most severe of its actions'. */
const LEVEL_OF: Readonly<Record<LadderAction, ConsequenceLevel>> = {
  notify: 'notice',
  restrict_premium: 'restrict_premium',
  block_plan_changes: 'block_changes',
  disable_entitlements: 'suspend',
  cancel_immediately: 'cancel',
  cancel_at_term_end: 'notice',
  write_off: 'notice',
};

export function levelOfActions(actions: readonly LadderAction[]): ConsequenceLevel {
  const severity = Math.max(severityOf('notice'), ...actions.map((a) => severityOf(LEVEL_OF[a])));
  return CONSEQUENCE_LEVELS[severity]!;
}

export interface ActionStateSpec {
  readonly name: string;
  readonly when: LadderCondition;
  readonly actions: readonly LadderAction[];
  readonly message?: string;
}

/** A ladder state written as actions. */
export function stateFromActions(spec: ActionStateSpec): LadderState {
  const { name, actions } = spec;
  if (actions.length === 0) throw new Error(`ladder state ${name}: actions: needs at least one action`);
  if (actions.includes('cancel_immediately') && actions.includes('cancel_at_term_end')) {
    throw new Error(`ladder state ${name}: actions: cancel_immediately and cancel_at_term_end exclude each other`);
  }
  const cancel = actions.includes('cancel_immediately')
    ? 'immediately'
    : actions.includes('cancel_at_term_end')
      ? 'end_of_term'
      : undefined;
  return {
    name,
    when: spec.when,
    level: levelOfActions(actions),
    actions: [...new Set(actions)],
    ...(actions.includes('write_off') ? { writeOff: true } : {}),
    ...(cancel !== undefined ? { cancel } : {}),
    ...(spec.message !== undefined ? { message: spec.message } : {}),
  };
}

/** A state's actions: as written, or read back from its level, write-off and cancellation. */
export function actionsOf(state: LadderState): LadderAction[] {
  if (state.actions !== undefined) return [...state.actions];
  const severity = severityOf(state.level);
  const actions: LadderAction[] = ['notify'];
  if (severity >= severityOf('restrict_premium')) actions.push('restrict_premium');
  if (severity >= severityOf('block_changes')) actions.push('block_plan_changes');
  if (severity >= severityOf('suspend')) actions.push('disable_entitlements');
  if (state.cancel === 'immediately') actions.push('cancel_immediately');
  if (state.cancel === 'end_of_term') actions.push('cancel_at_term_end');
  if (state.writeOff === true) actions.push('write_off');
  return actions;
}
