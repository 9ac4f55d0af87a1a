import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config';
import { HealthService } from './modules/health/health.service';
import { ConnectionLifecycle } from './modules/realtime/connection-lifecycle';

/** Everything must be closed by then; a stuck close is cut short. */
const SHUTDOWN_DEADLINE_MS = 10_000;

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

/**
 * SIGTERM / SIGINT: report not ready, refuse new sockets, let in-flight sends commit and ack, move
 * clients to other nodes, flush batched receipts, close the pools, exit — within 10 s.
 */
function handleSignals(app: NestExpressApplication): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const logger = app.get(Logger);
    logger.log({ msg: 'shutting down', signal });
    setTimeout(() => {
      logger.error({ msg: 'shutdown took too long; exiting' });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      app.get(HealthService, { strict: false }).markShuttingDown();
      await app.get(ConnectionLifecycle, { strict: false }).drain();
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.error({ msg: 'shutdown failed', err: error });
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const app = await createApp(config);
  handleSignals(app);
  // A library promise rejected with nobody listening (the Socket.io adapter's heartbeat while Redis
  // is away, for one) must not take the node down with every socket on it; log it and carry on.
  process.on('unhandledRejection', (reason) => app.get(Logger).error({ msg: 'unhandled rejection', err: reason }));
  await app.listen(config.port, config.host);
  const mode = `${config.databaseUrl ? 'PostgreSQL' : 'embedded PostgreSQL'} + ${config.redisUrl ? 'Redis' : 'in-process adapters'}`;
  console.log(`Chat is running at http://localhost:${config.port} (${mode}); API docs at /api/docs`);
}

bootstrap().catch((error: unknown) => {
  console.error('Failed to start:', error);
  process.exit(1);
});
