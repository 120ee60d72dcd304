/**
 * An error whose message is written for the user: what went wrong and what to
 * do. Transports show its message as is; other errors get a generic prefix.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, readonly code: string = 'invalid') {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
