import type { OperationPhase, ResourceResult, ResultCode } from '@capstan/crds';
import type { ApplyAction, DeleteAction, ResourceRef, SyncAction } from './sync-actions.ts';
import { APPLY_FAILED_MESSAGE } from './sync-step.ts';
import type { SyncStepOutput } from './sync-step-types.ts';
import { resultKeyOf } from './sync-task.ts';

/**
 * What carrying out one action came to. A failed dry run lists the items that failed; deleting an
 * object that is already gone, or stripping a finalizer from one, is a success.
 */
export type SyncActionOutcome =
  | { readonly ok: true; readonly message?: string }
  | {
      readonly ok: false;
      readonly message: string;
      readonly failures?: readonly { readonly key: string; readonly message: string }[];
    };

export type SyncActionRunner = (action: SyncAction) => Promise<SyncActionOutcome>;

export interface ExecuteSyncStepOptions {
  readonly step: SyncStepOutput;
  /** The results the step started from (`syncResult.resources` before it), to undo what never ran. */
  readonly previous: readonly ResourceResult[] | undefined;
  readonly run: SyncActionRunner;
}

type Update = {
  readonly status?: ResultCode | undefined;
  readonly phase: OperationPhase;
  readonly message: string;
};

const HALT = Symbol('halt');

/**
 * Carries out a step's actions with Argo CD's failure semantics and returns what to persist:
 * - applies of one batch run concurrently, batches in order; a failed apply marks its result
 *   SyncFailed, the remaining applies still run, nothing else does (no pause, no hook deletion), and
 *   the operation stays Running so that the next step takes the SyncFail path;
 * - a failed namespace creation or dry run fails the operation on the spot (no SyncFail hooks);
 * - a failed prune, or a failed preparation of a hook to re-create, stops the step there;
 * - failures to delete finished hooks or strip their finalizer are recorded but change nothing else;
 * - a failure while terminating turns the outcome into Error.
 * Results planned by actions that never ran are restored to what they were.
 */
export async function executeSyncStep(options: ExecuteSyncStepOptions): Promise<SyncStepOutput> {
  const { step, run } = options;
  const results = new Map(step.results.map((r) => [resultKeyOf(r), r]));
  const previous = new Map((options.previous ?? []).map((r) => [resultKeyOf(r), r]));
  let phase = step.phase;
  let message = step.message;
  const applyFailures: string[] = [];
  let halted = false;
  let terminationErrors = false;
  const skipped = new Set<string>();
  const recorded = new Set<string>();

  const record = (key: string, resource: ResourceRef, update: Update): void => {
    const result: ResourceResult = { ...(results.get(key) ?? resource) };
    delete result.status;
    const status = update.status === undefined ? results.get(key)?.status : update.status;
    if (status !== undefined) result.status = status;
    result.hookPhase = update.phase;
    if (update.message !== '') result.message = update.message;
    results.set(key, result);
    recorded.add(key);
  };
  const keepStatus = (key: string): ResultCode | undefined => results.get(key)?.status;
  const failStep = (reason?: string): typeof HALT => {
    phase = 'Running';
    message = reason === undefined ? APPLY_FAILED_MESSAGE : `${APPLY_FAILED_MESSAGE}, reason: ${reason}`;
    return HALT;
  };

  const handle = async (action: Exclude<SyncAction, ApplyAction>): Promise<typeof HALT | undefined> => {
    const outcome = await run(action);
    switch (action.type) {
      case 'createNamespace':
        if (outcome.ok) {
          if (outcome.message !== undefined)
            record(action.key, action.resource, { phase: 'Running', message: outcome.message });
          return undefined;
        }
        record(action.key, action.resource, {
          status: 'SyncFailed',
          phase: 'Failed',
          message: outcome.message,
        });
        phase = 'Failed';
        message = `the namespace failed to apply, reason: ${outcome.message}`;
        return HALT;
      case 'dryRun': {
        if (outcome.ok) return undefined;
        const items = new Map(action.items.map((item) => [item.key, item]));
        for (const failure of outcome.failures ?? []) {
          const item = items.get(failure.key);
          if (item !== undefined)
            record(item.key, item.resource, {
              status: 'SyncFailed',
              phase: 'Failed',
              message: failure.message,
            });
        }
        phase = 'Failed';
        message = 'one or more objects failed to apply (dry run)';
        return HALT;
      }
      case 'delete':
        return outcome.ok ? undefined : deleteFailed(action, outcome.message);
      case 'stripFinalizer':
        if (outcome.ok) return undefined;
        if (action.reason === 'pendingHook') {
          const text = `failed to remove hook finalizer: ${outcome.message}`;
          record(action.key, action.resource, {
            status: keepStatus(action.key),
            phase: 'Error',
            message: text,
          });
          return failStep();
        }
        record(action.key, action.resource, {
          status: keepStatus(action.key),
          phase: 'Error',
          message: `Failed to remove hook finalizer: ${outcome.message}`,
        });
        if (action.reason === 'terminate') {
          terminationErrors = true;
          skipped.add(action.key);
        }
        return undefined;
      case 'sleep':
      case 'waitForEstablished':
        // Upstream only logs a CRD that is slow to be Established.
        return undefined;
    }
  };

  const deleteFailed = (action: DeleteAction, error: string): typeof HALT | undefined => {
    switch (action.reason) {
      case 'prune':
        record(action.key, action.resource, { status: 'SyncFailed', phase: 'Failed', message: error });
        applyFailures.push(error);
        return undefined;
      case 'beforeHookCreation':
        record(action.key, action.resource, {
          status: keepStatus(action.key),
          phase: 'Error',
          message: `failed to delete resource: ${error}`,
        });
        return failStep();
      case 'hookSucceeded':
      case 'hookFailed':
        record(action.key, action.resource, {
          status: keepStatus(action.key),
          phase: 'Error',
          message: `failed to delete resource: ${error}`,
        });
        return undefined;
      case 'terminate':
        record(action.key, action.resource, {
          status: keepStatus(action.key),
          phase: 'Failed',
          message: `Failed to delete: ${error}`,
        });
        terminationErrors = true;
        return undefined;
    }
  };

  const actions = step.actions;
  let next = 0;
  while (next < actions.length && !halted) {
    const action = actions[next] as SyncAction;
    if (action.type === 'apply' || (action.type === 'delete' && action.reason === 'prune')) {
      // Applies of a batch, and the prunes of a group, go out together.
      const together: (ApplyAction | DeleteAction)[] = [];
      for (let a = actions[next]; a !== undefined && sameBatch(a, action); a = actions[++next])
        together.push(a);
      const outcomes = await Promise.all(together.map((a) => run(a)));
      outcomes.forEach((outcome, i) => {
        const done = together[i] as ApplyAction | DeleteAction;
        if (outcome.ok) {
          if (done.type === 'apply' && outcome.message !== undefined)
            record(done.key, done.resource, {
              status: 'Synced',
              phase: results.get(done.key)?.hookPhase ?? 'Running',
              message: outcome.message,
            });
          return;
        }
        if (done.type === 'apply') {
          record(done.key, done.resource, {
            status: 'SyncFailed',
            phase: 'Failed',
            message: outcome.message,
          });
          applyFailures.push(outcome.message);
        } else deleteFailed(done, outcome.message);
      });
      if (action.type === 'delete' && applyFailures.length > 0) halted = true;
      continue;
    }
    next++;
    // After a failed apply only the group's remaining applies still go out.
    if (applyFailures.length > 0) continue;
    if ((action.type === 'delete' || action.type === 'stripFinalizer') && skipped.has(action.key)) continue;
    if ((await handle(action)) === HALT) halted = true;
  }

  if (halted) {
    for (const action of actions.slice(next)) {
      if (
        action.type !== 'apply' &&
        action.type !== 'createNamespace' &&
        !(action.type === 'delete' && action.reason === 'prune')
      )
        continue;
      if (recorded.has(action.key)) continue;
      const before = previous.get(action.key);
      if (before === undefined) results.delete(action.key);
      else results.set(action.key, before);
    }
  }
  if (applyFailures.length > 0 && phase !== 'Failed') failStep([...new Set(applyFailures)].join(','));
  if (terminationErrors) {
    phase = 'Error';
    message = 'Operation termination had errors';
  }
  return { phase, message, results: [...results.values()], actions: step.actions };
}

function sameBatch(a: SyncAction, first: ApplyAction | DeleteAction): a is ApplyAction | DeleteAction {
  if (first.type === 'apply') return a.type === 'apply' && a.batch === first.batch;
  return a.type === 'delete' && a.reason === 'prune';
}
