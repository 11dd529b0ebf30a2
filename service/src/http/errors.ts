import type { ApiErrorBody } from '@cartback/shared';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';

/** An error meant for the client: its status, code, message and (optionally) the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function sendError(res: Response, status: number, code: string, message: string, path?: string): void {
  const body: ApiErrorBody = { error: { code, message, ...(path !== undefined ? { path } : {}) } };
  res.status(status).json(body);
}

/**
 * An error as it may be logged: database errors quote values (phones, emails) in their message
 * and carry the whole SQL, so only the kind, code and a scrubbed message are kept.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; code?: string; errno?: number; message?: string; stack?: string };
  const scrub = (text: string | undefined) =>
    text
      ?.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
      .replace(/\+?\d[\d\s-]{6,}\d/g, '[number]')
      .slice(0, 500);
  return { type: e?.name, code: e?.code, errno: e?.errno, message: scrub(e?.message), stack: scrub(e?.stack) };
}

/**
 * A path the router could not percent-decode into a parameter (`/r/%ZZ`, `/r/%F0%9F`, `/r/abc%`):
 * the router throws decodeURIComponent's URIError with status 400. The client's fault, not ours.
 */
export function isMalformedPath(error: unknown): boolean {
  return error instanceof URIError && (error as { status?: number }).status === 400;
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}`);
};

/** Turns anything thrown into the JSON error shape; body-parser's own errors keep their status. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof ApiError) {
      sendError(res, error.status, error.code, error.message, error.path);
      return;
    }
    if (isMalformedPath(error)) {
      sendError(res, 400, 'invalid_path', 'The path is not validly percent-encoded');
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      sendError(res, 413, 'payload_too_large', 'The request body is larger than 1 MiB');
      return;
    }
    const status = (error as { status?: number }).status;
    if (type && status && status >= 400 && status < 500) {
      // body-parser's own refusals (an unsupported encoding or charset, an incomplete body).
      sendError(res, status, type.replace(/\./g, '_'), (error as Error).message);
      return;
    }
    logger.error({ err: loggableError(error), method: req.method, path: req.path }, 'request failed');
    sendError(res, 500, 'internal', 'Something went wrong on our side; the request changed nothing and can be retried');
  };
}
