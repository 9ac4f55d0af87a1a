import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './app.factory';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const mode = `${config.databaseUrl ? 'PostgreSQL' : 'embedded PostgreSQL'} + ${config.redisUrl ? 'Redis' : 'in-process adapters'}`;
  console.log(`Chat is running at http://localhost:${config.port} (${mode}); API docs at /api/docs`);
}

bootstrap().catch((error: unknown) => {
  console.error('Failed to start:', error);
  process.exit(1);
});
