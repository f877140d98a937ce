import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@hub/security';
import type { AuthenticatedRequest } from './auth.guard';

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
