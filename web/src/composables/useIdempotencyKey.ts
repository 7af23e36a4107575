// One Idempotency-Key per intended operation (a dialog's "pay", a new
// notice): the key stays the same while the outcome is unknown (the network
// failed, so a retry must not book twice) and is replaced once the server
// has answered, success or refusal, so that a corrected second attempt is a
// new operation and not a replay of the refused one.
import { ApiError, newIdempotencyKey } from '@/api/http';

export interface IdempotencyKey {
  /** The key to send with the next attempt. */
  readonly value: string;
  /** After an attempt: `error` is what it threw (undefined on success). */
  settle(error?: unknown): void;
  /** Start a new operation (e.g. the dialog opened again). */
  reset(): void;
}

export function useIdempotencyKey(): IdempotencyKey {
  let current = newIdempotencyKey();
  return {
    get value() {
      return current;
    },
    settle(error?: unknown) {
      const unknownOutcome = error instanceof ApiError && error.status === 0;
      if (!unknownOutcome) current = newIdempotencyKey();
    },
    reset() {
      current = newIdempotencyKey();
    },
  };
}
