import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { REDIS } from './infra/redis/redis.module';
import { httpMetricsMiddleware } from './modules/metrics/http-metrics.middleware';
import { MetricsService } from './modules/metrics/metrics.service';
import { ChatIoAdapter } from './modules/realtime/chat-io.adapter';
import { ConnectionLifecycle } from './modules/realtime/connection-lifecycle';
import { securityHeaders } from './common/http/security-headers';
import { bodyErrorHandler, jsonBodyParser } from './common/http/body-parsing';
import type { AppConfig } from './config/app-config';

/** Paths the server owns; everything else under GET is the web app. /metrics is here so it 404s (it lives on METRICS_PORT). */
const SERVER_PATHS = /^\/(api|health|metrics|socket\.io)(\/|$)/;

/** Builds the whole product as one Nest application, configured but not yet listening. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins, credentials: true } : false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(httpMetricsMiddleware(app.get(MetricsService)), ...jsonBodyParser(), bodyErrorHandler, cookieParser());
  app.setGlobalPrefix('api', { exclude: ['health/live', 'health/ready'] });
  const lifecycle = app.get(ConnectionLifecycle, { strict: false });
  app.useWebSocketAdapter(new ChatIoAdapter(app, config, app.get(REDIS), () => lifecycle.isDraining));

  setUpSwagger(app);
  serveWebApp(app, config);
  return app;
}

function setUpSwagger(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Chat API')
      .setDescription('REST API of the chat system. Real-time events travel over Socket.io on the /chat namespace; see docs/websocket-protocol.md.')
      .setVersion('1.0')
      .addBearerAuth()
      .addCookieAuth('refresh_token')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'api/docs-json' });
}

function serveWebApp(app: NestExpressApplication, config: AppConfig): void {
  const dist = config.webDist ?? resolve(__dirname, '../../web/dist');
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return;
  // The server's own paths never name a file of the web app: they skip the file lookup (a stat per request).
  const files = express.static(dist, { index: false, maxAge: '1h', setHeaders: noCacheForHtml });
  app.use((req: Request, res: Response, next: NextFunction) => (SERVER_PATHS.test(req.path) ? next() : files(req, res, next)));
  // Client-side routes (/login, /c/:id) all load the app shell.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || SERVER_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function noCacheForHtml(res: Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
