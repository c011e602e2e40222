/**
 * How the API answers a decision the claim workflow refused. The refusal arrives from Temporal as a
 * WorkflowUpdateFailedError whose cause is the ApplicationFailure the update validator threw: an invalid
 * correction (FailureType.InvalidCorrection, details `{ field }`) is the same 422 the route's own check
 * gives, naming the corrected field; any other refusal is 409 with the workflow's reason.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../api/routes/decisions.js';
import { FailureType } from '../../domain/failures.js';

const refused = (cause: Error) => new WorkflowUpdateFailedError('Workflow Update failed', cause);

describe('decision refusals', () => {
  it('an InvalidCorrection from the validator is 422 naming the field under body/changes', () => {
    const p = refusalOf(
      refused(
        ApplicationFailure.create({
          message: 'must be a positive whole number',
          type: FailureType.InvalidCorrection,
          details: [{ field: 'lines.1.units' }],
          nonRetryable: true,
        }),
      ),
    );
    expect(p?.status).toBe(422);
    expect(p?.extra.errors).toEqual([
      { field: 'body/changes/lines.1.units', message: 'must be a positive whole number' },
    ]);
  });

  it('an InvalidCorrection about the changes as a whole names body/changes', () => {
    const p = refusalOf(
      refused(
        ApplicationFailure.create({
          message: 'at least one change is required',
          type: FailureType.InvalidCorrection,
          details: [{ field: 'changes' }],
        }),
      ),
    );
    expect(p?.status).toBe(422);
    expect(p?.extra.errors?.[0]?.field).toBe('body/changes');
  });

  it('any other refusal is 409 with the workflow’s reason', () => {
    const p = refusalOf(
      refused(
        ApplicationFailure.create({
          message: 'the claim is closed (WRITTEN_OFF)',
          type: FailureType.DecisionRefused,
        }),
      ),
    );
    expect(p?.status).toBe(409);
    expect(p?.detail).toBe('the claim is closed (WRITTEN_OFF)');
  });

  it('a claim without a running workflow is 409; anything else is not a refusal', () => {
    expect(refusalOf(new WorkflowNotFoundError('gone', 'claim-x', undefined))?.status).toBe(409);
    expect(refusalOf(new Error('connection reset'))).toBeUndefined();
  });
});
