/** The one error type routes throw; `app.onError` turns it into `{"error": {code, message, field}}`. */
export class ApiError extends Error {
  constructor(
    readonly status:
      | 400
      | 401
      | 403
      | 404
      | 405
      | 409
      | 410
      | 413
      | 415
      | 422
      | 429
      | 502
      | 503
      | 504,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  body() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field ? { field: this.field } : {}),
      },
    };
  }
}

export const badRequest = (code: string, message: string, field?: string) =>
  new ApiError(400, code, message, field);
export const notFound = (what: string, field?: string) =>
  new ApiError(404, "not_found", `${what} not found`, field);
export const forbidden = (code: string, message: string) => new ApiError(403, code, message);
export const unauthorized = (message = "missing or invalid token") =>
  new ApiError(401, "unauthorized", message);

/** Raised at start-up: one line naming the bad environment variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
  }
}
