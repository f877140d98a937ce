import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@hub/kernel';
import { AuthenticationError } from '@hub/security';
import type { AuthenticatedRequest } from '../http/auth.guard';
import { HubRuntime } from '../runtime/hub-runtime';
import { DashboardContext } from './dashboard-context';
import { renderPage } from './views';

/**
 * Errors on dashboard pages as GOV.UK error pages (the API's filter answers JSON). No session or an
 * expired one: back to sign in. Refused reads say which agreement check failed.
 */
@Catch()
@Injectable()
export class DashboardErrorFilter implements ExceptionFilter {
  constructor(private readonly hub: HubRuntime, private readonly context: DashboardContext) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request & Partial<Pick<AuthenticatedRequest, 'principal'>>>();
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof AuthenticationError) {
      const reason = exception.code === 'AUTH.MISSING' ? '' : `?ended=${encodeURIComponent(exception.code)}`;
      response.redirect(303, `/dashboard/sign-in${reason}`);
      return;
    }
    const page = describe(exception);
    if (page.status >= 500) this.hub.logger.error({ path: request.route?.path, err: exception instanceof Error ? { name: exception.name, message: exception.message } : undefined }, 'dashboard page failed');
    // Signed in (the read was refused, not the session): keep the header, navigation and sign-out.
    const signedIn = request.principal ? await this.context.page(request.principal, request, 'home').catch(() => ({ signedIn: false })) : { signedIn: false };
    renderPage(response, 'error.njk', { ...signedIn, ...page }, page.status);
  }
}

function describe(exception: unknown): { status: number; title: string; message: string; code: string } {
  if (exception instanceof DomainError) {
    if (exception.code.startsWith('ACCESS.')) return { status: 403, title: 'You cannot see this information', message: exception.message, code: exception.code };
    if (exception.code.endsWith('NOT_FOUND')) return { status: 404, title: 'Page not found', message: exception.message, code: exception.code };
    if (exception.code.startsWith('REQUEST.')) return { status: 400, title: 'There is a problem with the request', message: exception.message, code: exception.code };
    return { status: 422, title: 'This could not be done', message: exception.message, code: exception.code };
  }
  if (exception instanceof HttpException && exception.getStatus() === 404) return { status: 404, title: 'Page not found', message: 'If you typed the web address, check it is correct.', code: 'HTTP.404' };
  return { status: 500, title: 'Sorry, there is a problem with the service', message: 'Try again later.', code: 'HUB.INTERNAL' };
}
