/**
 * Nelder–Mead simplex minimisation (Lagarias et al. 1998 coefficients:
 * reflection 1, expansion 2, contraction 1/2, shrink 1/2). Deterministic:
 * the same function and start give the same path. Bounded by an evaluation
 * budget; stops early when the simplex's value spread falls below tolerance.
 */
export interface NelderMeadOptions {
  /** Initial step along each axis. */
  readonly step: number;
  readonly evaluationsMax: number;
  /** Stop when max − min of the simplex values is below this. */
  readonly valueTolerance: number;
}

export interface NelderMeadResult {
  readonly x: readonly number[];
  readonly value: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

interface Vertex {
  x: number[];
  value: number;
}

export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions,
): NelderMeadResult {
  if (x0.length === 0) throw new Error('nelderMead: x0 must have at least one coordinate');
  let evaluations = 0;
  const evaluate = (x: number[]): Vertex => {
    evaluations++;
    return { x, value: f(x) };
  };
  const simplex: Vertex[] = [evaluate([...x0])];
  for (let i = 0; i < x0.length; i++) simplex.push(evaluate(x0.map((v, j) => (j === i ? v + options.step : v))));
  let converged = false;
  while (evaluations < options.evaluationsMax) {
    simplex.sort((a, b) => a.value - b.value);
    if (simplex[simplex.length - 1]!.value - simplex[0]!.value < options.valueTolerance) {
      converged = true;
      break;
    }
    step(simplex, evaluate);
  }
  simplex.sort((a, b) => a.value - b.value);
  return { x: simplex[0]!.x, value: simplex[0]!.value, evaluations, converged };
}

/** One iteration on a sorted simplex: reflect, expand, contract or shrink. */
function step(simplex: Vertex[], evaluate: (x: number[]) => Vertex): void {
  const n = simplex.length - 1;
  const worst = simplex[n]!,
    best = simplex[0]!,
    secondWorst = simplex[n - 1]!;
  const centroid = worst.x.map((_, j) => simplex.slice(0, n).reduce((s, v) => s + v.x[j]!, 0) / n);
  const along = (t: number): number[] => centroid.map((c, j) => c + t * (worst.x[j]! - c));
  const reflected = evaluate(along(-1));
  if (reflected.value < best.value) {
    const expanded = evaluate(along(-2));
    simplex[n] = expanded.value < reflected.value ? expanded : reflected;
  } else if (reflected.value < secondWorst.value) {
    simplex[n] = reflected;
  } else {
    const outside = reflected.value < worst.value;
    const contracted = evaluate(along(outside ? -0.5 : 0.5));
    if (contracted.value < (outside ? reflected.value : worst.value)) simplex[n] = contracted;
    else shrink(simplex, evaluate);
  }
}

function shrink(simplex: Vertex[], evaluate: (x: number[]) => Vertex): void {
  const best = simplex[0]!;
  for (let i = 1; i < simplex.length; i++)
    simplex[i] = evaluate(simplex[i]!.x.map((v, j) => best.x[j]! + 0.5 * (v - best.x[j]!)));
}
