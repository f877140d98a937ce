import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '@hub/kernel';
import { AuthenticationError } from '@hub/security';
import { Public } from '../http/public.decorator';
import { HubRuntime } from '../runtime/hub-runtime';
import { IssueTokenCommand } from '../use-cases/issue-token/issue-token.command';
import { DashboardErrorFilter } from './dashboard-error.filter';
import {
  csrfTokenFor, endSession, requireCsrf, sessionTokenOf, sessionTtlSeconds, signInCookie, cookieOf, signInCsrfToken, startSession,
} from './session';
import { renderPage } from './views';

export type SignInMode = 'demo' | 'token';

/**
 * How people sign in: `demo` (the embedded default) lets them choose an agency of the area and
 * issues a short-lived hub token; `token` (server mode) takes a bearer token, from `hub token` or
 * from the agency's own identity provider bridge (docs/DASHBOARD.md). HUB_DASHBOARD_SIGN_IN overrides.
 */
export function signInModeOf(hub: HubRuntime, env: NodeJS.ProcessEnv = process.env): SignInMode {
  const configured = env.HUB_DASHBOARD_SIGN_IN;
  if (configured === 'demo' || configured === 'token') return configured;
  if (configured) throw new DomainError('CONFIG.INVALID', `HUB_DASHBOARD_SIGN_IN: ${JSON.stringify(configured)} is not demo or token`);
  return hub.location.kind === 'embedded' ? 'demo' : 'token';
}

const endedMessages: Readonly<Record<string, string>> = {
  'AUTH.EXPIRED': 'Your session has ended. Sign in again.',
  'signed-out': 'You have signed out.',
};

@ApiExcludeController()
@Controller()
@UseFilters(DashboardErrorFilter)
export class SignInController {
  constructor(private readonly hub: HubRuntime, private readonly commands: CommandBus) {}

  @Public()
  @Get()
  root(@Res() response: Response): void {
    response.redirect(302, '/dashboard');
  }

  @Public()
  @Get('dashboard/sign-in')
  async signInPage(@Req() request: Request, @Res() response: Response, @Query('ended') ended?: string): Promise<void> {
    await this.render(request, response, { notice: ended ? endedMessages[ended] ?? 'Sign in again.' : undefined });
  }

  @Public()
  @Post('dashboard/sign-in')
  async signIn(@Req() request: Request, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    requireCsrf(request, cookieOf(request, signInCookie));
    const mode = signInModeOf(this.hub);
    if (typeof body.agencyId === 'string' || body.method === 'agency') {
      if (mode !== 'demo') throw new DomainError('ACCESS.DEMO_SIGN_IN_OFF', 'agencyId: choosing an agency is only for the embedded demo hub; paste a token instead');
      const agencyId = typeof body.agencyId === 'string' ? body.agencyId : '';
      if (!agencyId) return this.render(request, response, { errors: [{ text: 'Select the agency you work for', href: '#agencyId' }], agencyError: 'Select the agency you work for' }, 400);
      try {
        const token = await this.commands.execute(new IssueTokenCommand(agencyId, sessionTtlSeconds));
        startSession(request, response, token);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'AUTH.UNKNOWN_AGENCY')) throw error;
        return this.render(request, response, { errors: [{ text: error.message, href: '#agencyId' }], agencyError: error.message }, 400);
      }
      response.redirect(303, '/dashboard');
      return;
    }
    const token = typeof body.token === 'string' ? body.token.trim().replace(/^Bearer\s+/i, '') : '';
    if (!token) return this.render(request, response, { errors: [{ text: 'Paste your token', href: '#token' }], tokenError: 'Paste your token' }, 400);
    try {
      await this.hub.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      return this.render(request, response, { errors: [{ text: error.message, href: '#token' }], tokenError: error.message }, 400);
    }
    startSession(request, response, token);
    response.redirect(303, '/dashboard');
  }

  /** Signing out needs no valid session (an expired one can still be cleared), but a matching form token. */
  @Public()
  @Post('dashboard/sign-out')
  signOut(@Req() request: Request, @Res() response: Response): void {
    const session = sessionTokenOf(request);
    if (session) requireCsrf(request, csrfTokenFor(session));
    endSession(request, response);
    response.redirect(303, '/dashboard/sign-in?ended=signed-out');
  }

  private async render(request: Request, response: Response, extra: Record<string, unknown>, status = 200): Promise<void> {
    const directory = await this.hub.directories.current();
    const mode = signInModeOf(this.hub);
    renderPage(response, 'sign-in.njk', {
      mode, signInCsrf: signInCsrfToken(request, response), areaName: directory.area?.name ?? 'Combating Drugs Partnership',
      agencies: [...directory.agencies.values()].map((a) => ({ value: a.id, text: a.name, hint: { text: `${a.kind} · ${a.id}` } })),
      ...extra,
    }, status);
  }
}
