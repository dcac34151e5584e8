/** Errors a handler raises on purpose: they become a JSON response with their status, never a 500. */

/** An error with an HTTP status and a JSON body `{ error, details? }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** True for an HttpError (also across module copies). */
export function isHttpError(err: unknown): err is HttpError {
  return err instanceof HttpError || (err as { name?: string })?.name === 'HttpError';
}
