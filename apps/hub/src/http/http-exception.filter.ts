import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, InfrastructureError } from '@hub/kernel';
import { AuthenticationError } from '@hub/security';
import type { Logger } from '../runtime/logger';

/** The one place errors become HTTP: `{ "error": { "code", "message" } }` with a fitting status. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, code, message } = this.describe(exception);
    if (status >= 500) this.logger.error({ code, err: exception instanceof Error ? { name: exception.name, message: exception.message } : undefined }, 'request failed');
    response.status(status).json({ error: { code, message } });
  }

  private describe(exception: unknown): { status: number; code: string; message: string } {
    if (exception instanceof AuthenticationError) return { status: HttpStatus.UNAUTHORIZED, code: exception.code, message: exception.message };
    if (exception instanceof DomainError) return { status: statusForDomainCode(exception.code), code: exception.code, message: exception.message };
    if (sqlStateOf(exception) === diskFull) {
      return { status: HttpStatus.INSUFFICIENT_STORAGE, code: 'HUB.STORAGE_FULL', message: 'The hub\'s storage is full: nothing from this request was stored; send it again once space is freed' };
    }
    if (exception instanceof InfrastructureError) {
      return { status: exception.retriable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR, code: 'HUB.UNAVAILABLE', message: 'The hub could not complete the request; try again' };
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : describeHttpBody(body) ?? exception.message;
      return { status: exception.getStatus(), code: `HTTP.${exception.getStatus()}`, message };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'HUB.INTERNAL', message: 'Internal error' };
  }
}

/** PostgreSQL's SQLSTATE for "could not extend file: No space left on device". */
const diskFull = '53100';

function sqlStateOf(exception: unknown): string | undefined {
  const direct = (exception as { code?: unknown } | undefined)?.code;
  const cause = (exception as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const code = typeof direct === 'string' && /^[0-9A-Z]{5}$/.test(direct) ? direct : cause;
  return typeof code === 'string' ? code : undefined;
}

function describeHttpBody(body: object): string | undefined {
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

function statusForDomainCode(code: string): number {
  if (code.startsWith('REQUEST.')) return HttpStatus.BAD_REQUEST;
  if (code.endsWith('NOT_FOUND')) return HttpStatus.NOT_FOUND;
  if (code.startsWith('ACCESS.') || code.endsWith('NOT_PERMITTED') || code.endsWith('FORBIDDEN')) return HttpStatus.FORBIDDEN;
  if (code.endsWith('INVALID_TRANSITION') || code.endsWith('CONFLICT')) return HttpStatus.CONFLICT;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}
