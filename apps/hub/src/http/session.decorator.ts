import { SetMetadata } from '@nestjs/common';

export const isSessionKey = 'cdp-hub:dashboard-session';
/**
 * Dashboard pages: the same bearer token, carried in the dashboard's HttpOnly, SameSite=Strict
 * session cookie instead of the Authorization header (a browser cannot set that header on a page load).
 */
export const DashboardSession = () => SetMetadata(isSessionKey, true);
