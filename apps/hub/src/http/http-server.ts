import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { govukFrontendDir, publicDir } from '../dashboard/views';
import { HubModule } from '../hub.module';
import type { HubRuntime } from '../runtime/hub-runtime';
import { NestPinoLogger } from '../runtime/nest-logger';
import { maxBodyBytes } from './events.controller';

const eventMediaTypes = ['application/cloudevents+json', 'application/cloudevents-batch+json', 'application/x-ndjson', 'application/json'];

/** The HTTP API on the runtime: events as text (so malformed JSON gets a proper rejection), JSON elsewhere, OpenAPI at /docs. */
export async function createHttpServer(hub: HubRuntime): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(HubModule.forRuntime(hub, { http: true }), {
    logger: new NestPinoLogger(hub.logger),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.useBodyParser('text', { type: (req) => req.url?.startsWith('/v1/events') === true && eventMediaTypes.includes(mediaTypeOf(req.headers['content-type'])), limit: maxBodyBytes });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '100kb' });
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('cdp-hub')
    .setDescription('Event-sourced data-sharing hub for Combating Drugs Partnerships. Every request authenticates as an agency with a bearer JWT; reads name a purpose.')
    .setVersion('1')
    .addBearerAuth()
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  app.use(bodyErrorHandler);
  // The dashboard's static files: GOV.UK Frontend's compiled CSS/JS (its CSS asks for fonts and images under /assets).
  app.useStaticAssets(join(govukFrontendDir, 'govuk', 'assets'), { prefix: '/assets', index: false, maxAge: '1d' });
  app.useStaticAssets(govukFrontendDir, { prefix: '/dashboard/govuk', index: false, maxAge: '1d' });
  app.useStaticAssets(publicDir, { prefix: '/dashboard/static', index: false });
  await app.init();
  return app;
}

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Body-parser failures (too large, bad encoding) as the hub's error shape. */
function bodyErrorHandler(error: { type?: string; status?: number; message?: string; length?: number }, _req: Request, res: Response, next: NextFunction): void {
  if (!error?.type) {
    next(error);
    return;
  }
  if (error.type === 'entity.too.large') {
    const size = typeof error.length === 'number' && Number.isFinite(error.length) ? `The request body (${error.length} bytes)` : 'The request body';
    res.status(413).json({ error: { code: 'INGEST.PAYLOAD_TOO_LARGE', message: `${size} is larger than the limit of ${maxBodyBytes} bytes` } });
    return;
  }
  res.status(error.status ?? 400).json({ error: { code: 'HTTP.BAD_REQUEST', message: error.message ?? 'The request body could not be read' } });
}
