import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkTransitions, LIFECYCLE_STATES, transitionKey } from '../../policies/lifecycle.js';
import { legacyPolicies, targetPolicies } from '../../policies/sets.js';
import { runSimulation } from '../../sim/world/engine/run.js';
import { lifecycleDot } from '../../sim/tools/lifecycle/command.js';
import { lifecycleSpec, lifecycleSpecPath, parseLifecycleSpec } from '../../sim/tools/lifecycle/spec.js';
import { smallBaseline } from '../support/small.js';

describe('lifecycle spec', () => {
  it("lists exactly the engine's states, and guards for every transition", () => {
    const spec = lifecycleSpec();
    expect(Object.keys(spec.states).sort()).toEqual([...LIFECYCLE_STATES].sort());
    for (const t of spec.transitions) expect(spec.guards[t.guard]).toBeTruthy();
  });

  it('rejects a spec naming a state the engine does not have, with its line', () => {
    const text = readFileSync(lifecycleSpecPath(), 'utf8').replace(
      '  - { from: current, to: retrying, guard: transient_decline }',
      '  - { from: current, to: paused, guard: transient_decline }',
    );
    expect(() => parseLifecycleSpec(text, 'lifecycle.yaml')).toThrow(/^lifecycle\.yaml:\d+: transitions\.0\.to: /);
  });

  it('every run checks its transitions: target and legacy stay inside the spec', () => {
    const scenario = smallBaseline(500, 40);
    for (const set of [targetPolicies(), legacyPolicies()]) {
      const r = runSimulation(scenario, set, 7, { lifecycle: lifecycleSpec() });
      expect(r.lifecycle?.violations).toBe(0);
      expect(r.lifecycle!.coverage.fired.length + r.lifecycle!.coverage.neverFired.length).toBe(
        lifecycleSpec().transitions.length,
      );
      expect(r.lifecycle!.coverage.fired.length).toBeGreaterThan(3);
    }
  });

  it('counts a transition the spec does not allow (the spec as canary)', () => {
    const r = runSimulation(smallBaseline(500, 40), targetPolicies(), 7);
    const paid = transitionKey('retrying', 'current');
    expect(r.transitions[paid]).toBeGreaterThan(0);
    const spec = lifecycleSpec();
    const narrowed = { ...spec, transitions: spec.transitions.filter((t) => transitionKey(t.from, t.to) !== paid) };
    const check = checkTransitions(narrowed, r.transitions);
    expect(check.violations).toBe(r.transitions[paid]);
    expect(check.violationsByTransition).toEqual({ [paid]: r.transitions[paid] });
  });

  it('renders every state and transition', () => {
    const dot = lifecycleDot(lifecycleSpec());
    for (const state of LIFECYCLE_STATES) expect(dot).toContain(`"${state}" [`);
    expect(dot.match(/->/g)?.length).toBe(lifecycleSpec().transitions.length);
  });
});
