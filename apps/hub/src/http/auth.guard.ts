import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Principal } from '@hub/security';
import { HubRuntime } from '../runtime/hub-runtime';
import { sessionTokenOf } from '../dashboard/session';
import { isPublicKey } from './public.decorator';
import { isSessionKey } from './session.decorator';

export type AuthenticatedRequest = Request & { principal: Principal };

/**
 * Every request authenticates as an agency with a bearer JWT, unless its route is marked @Public.
 * Dashboard pages (@DashboardSession) carry the same token in the session cookie.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly hub: HubRuntime) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(isPublicKey, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const session = this.reflector.getAllAndOverride<boolean>(isSessionKey, [context.getHandler(), context.getClass()]);
    const header = request.headers.authorization;
    const token = session ? sessionTokenOf(request) : header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    request.principal = await this.hub.tokens.verify(token);
    return true;
  }
}
