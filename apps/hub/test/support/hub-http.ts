import type { INestApplication } from '@nestjs/common';
import { createHttpServer } from '../../src/http/http-server';
import type { HubRuntime } from '../../src/runtime/hub-runtime';

/** What a test sends: `body` is sent as JSON unless it is already a string. */
export interface HubRequest {
  readonly method?: string;
  readonly body?: unknown;
  /** Sent as the `X-Purpose` header. */
  readonly purpose?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

export interface HubResponse {
  readonly status: number;
  readonly body: any;
}

/** The hub's HTTP API on a free local port, called as an agency (or `admin`) with a fresh token. */
export interface HubHttp {
  readonly app: INestApplication;
  readonly url: string;
  /** A request with a token issued to `who`: an agency id, or `admin` for the hub's administrator. */
  call(who: string, path: string, request?: HubRequest): Promise<HubResponse>;
  /** A request carrying the given bearer token as it is (forged, expired, an agency's own). */
  callWithToken(token: string, path: string, request?: HubRequest): Promise<HubResponse>;
  /** The raw response, for streams and non-JSON bodies. */
  fetchWithToken(token: string, path: string, request?: HubRequest): Promise<Response>;
  close(): Promise<void>;
}

export async function serveHubOverHttp(hub: HubRuntime): Promise<HubHttp> {
  const app: INestApplication = await createHttpServer(hub);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  const fetchWithToken = (token: string, path: string, request: HubRequest = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...request.headers };
    if (request.purpose !== undefined) headers['x-purpose'] = request.purpose;
    const body = request.body === undefined || typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    return fetch(`${url}${path}`, {
      method: request.method ?? 'GET', headers,
      ...(body === undefined ? {} : { body }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  };
  const callWithToken = async (token: string, path: string, request?: HubRequest): Promise<HubResponse> => {
    const response = await fetchWithToken(token, path, request);
    return { status: response.status, body: await response.json() };
  };
  const tokenFor = (who: string) => (who === 'admin' ? hub.tokens.issueAdmin() : hub.tokens.issue(who));

  return {
    app, url,
    call: async (who, path, request) => callWithToken(await tokenFor(who), path, request),
    callWithToken,
    fetchWithToken,
    close: () => app.close(),
  };
}
