// Reverse-mode automatic differentiation. Every differentiable op computes its forward result and
// calls `recordOp` with a closure holding its gradient rule (micrograd's lesson: the rule lives next
// to the forward). `backward()` walks the recorded graph in reverse topological order.
import type { Storage } from './backend/index.js';
import { SimdnnError, formatShape } from './errors.js';
import type { SpatialWindow } from './spatial-window.js';
import { sameShape } from './shape.js';
import { Tensor } from './tensor.js';

/** The gradient rule of one op: given dL/d(output), dL/d(each input) (undefined where not needed). */
export type GradientRule = (gradOutput: Tensor) => readonly (Tensor | undefined)[];

/** @internal A recorded op: its inputs and its gradient rule. */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly (Tensor | undefined)[];
  readonly backward: GradientRule;
  /** Buffers the rule reads that no tensor owns; freed once the rule has run. */
  readonly saved: readonly Storage[];
  /** How the op moves pixels (for sn.summary's receptive fields); absent where each pixel stays in place. */
  readonly window?: SpatialWindow;
}

let gradEnabled = true;

/** Runs `fn` without recording a graph (inference, optimiser updates); returns its result. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Whether ops are being recorded for backward. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Attaches the gradient rule of an op to its output when recording is on and an input requires a
 * gradient; returns `output`. A rule may skip inputs whose `requiresGrad` is false (return undefined).
 * `saved` lists scratch buffers (on the output's backend) that only the rule reads: they are freed
 * right away when nothing is recorded, else as soon as the rule has run. Ops that move pixels pass
 * their `window` (see spatial-window.ts).
 */
export function recordOp(
  name: string, output: Tensor, inputs: readonly (Tensor | undefined)[], backward: GradientRule, saved: readonly Storage[] = [],
  window?: SpatialWindow,
): Tensor {
  if (gradEnabled && inputs.some((t) => t?.requiresGrad)) output.gradFn = { name, inputs, backward, saved, window };
  else for (const buffer of saved) output.backend.free(buffer);
  return output;
}

/**
 * Back-propagates from `root`: accumulates dL/dx into `x.grad` for every leaf x with requiresGrad.
 * `gradient` defaults to 1 for a one-element root. The graph is released afterwards, as in PyTorch.
 */
export function runBackward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) throw new SimdnnError('backward: the tensor does not require grad and has no grad_fn');
  let seed = gradient;
  if (!seed) {
    if (root.size !== 1) {
      throw new SimdnnError(`backward: grad can be implicitly created only for scalar outputs; got shape ${formatShape(root.shape)}, pass a gradient of that shape`);
    }
    const backend = root.backend;
    seed = new Tensor(backend.fromValues([1]), root.shape, backend);
  } else if (!sameShape(seed.shape, root.shape)) {
    throw new SimdnnError(`backward: gradient of shape ${formatShape(seed.shape)} given for a tensor of shape ${formatShape(root.shape)}`);
  }

  const order = topologicalOrder(root);
  const leaves = new Set(order.filter((t) => t.isLeaf));
  const releasable = new Set<Tensor>();
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  // A gradient buffer may be freed or handed to a leaf only if it is the engine's alone: not the
  // caller's `gradient` (nor a view of it) and not held by another pending gradient (the entry being
  // processed has already left the map, so any entry found here is another holder).
  const owned = (g: Tensor): boolean =>
    g.storage !== gradient?.storage && ![...grads.values()].some((x) => x.storage === g.storage);
  for (const t of order) {
    const g = grads.get(t);
    grads.delete(t);
    if (!g) continue;
    const node = t.gradFn;
    if (!node) {
      if (t.grad) {
        t.backend.axpy(t.grad.storage, g.storage, 1, t.size); // accumulate in place, as PyTorch does
        if (owned(g)) g.dispose();
      } else {
        t.grad = owned(g) ? g : new Tensor(g.backend.clone(g.storage), g.shape, g.backend);
      }
      continue;
    }
    for (const input of node.inputs) if (input?.releaseAfterBackward) releasable.add(input);
    const inputGrads = node.backward(g);
    for (const buffer of node.saved) t.backend.free(buffer);
    // Gradients summed into a new buffer (fan-out) are consumed: nothing holds them any more.
    const folded = new Set<Tensor>();
    const heldByRule = (x: Tensor) => inputGrads.some((o) => o !== undefined && !folded.has(o) && o.storage === x.storage);
    node.inputs.forEach((input, i) => {
      const gi = inputGrads[i];
      if (!input || !gi || !input.requiresGrad) return;
      if (!sameShape(gi.shape, input.shape)) {
        throw new Error(`simdnn internal: ${node.name} returned a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`);
      }
      const existing = grads.get(input);
      if (!existing) {
        grads.set(input, gi);
        return;
      }
      grads.set(input, accumulate(existing, gi));
      folded.add(existing).add(gi);
      for (const addend of [existing, gi]) {
        if (addend.storage !== g.storage && owned(addend) && !heldByRule(addend)) addend.dispose();
      }
    });
    t.gradFn = undefined;
    // g is consumed: release it now unless it is the caller's, or a rule passed its buffer on.
    if (owned(g) && !heldByRule(g)) {
      g.dispose();
    }
  }
  releaseIntermediates(releasable, order, leaves);
}

/**
 * Once the graph is gone: frees the storage of intermediates marked `releaseAfterBackward` (unless a
 * tensor that stays shares it, as views do), and evicts the other non-leaf tensors (the model's
 * output, the loss) to host memory, where the JS garbage collector reclaims them when user code
 * drops them. Backend memory then holds only what lives across steps: parameters, gradients, state.
 */
function releaseIntermediates(releasable: Set<Tensor>, graph: Tensor[], leaves: Set<Tensor>): void {
  const kept = graph.filter((t) => !releasable.has(t));
  const keptStorage = new Set(kept.map((t) => t.storage));
  for (const t of releasable) if (!keptStorage.has(t.storage)) t.dispose();
  for (const t of kept) if (!leaves.has(t)) t.backend.evict(t.storage);
}

/** Non-leaf tensors reachable from root, each after every tensor that depends on it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const visited = new Set<Tensor>();
  const postOrder: Tensor[] = [];
  // Iterative DFS: deep graphs must not overflow the call stack.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top[0].gradFn?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++];
      if (next && next.requiresGrad && !visited.has(next)) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      postOrder.push(top[0]);
      stack.pop();
    }
  }
  return postOrder.reverse();
}

/** a + b as a new tensor (a and b have the same shape and backend): fan-in of gradients. */
function accumulate(a: Tensor, b: Tensor): Tensor {
  const out = a.backend.clone(a.storage);
  a.backend.axpy(out, b.storage, 1, a.size);
  return new Tensor(out, a.shape, a.backend);
}
