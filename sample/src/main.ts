import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSampleApp } from './app.factory.js';

async function main(): Promise<void> {
  const app = await createSampleApp();
  app.enableShutdownHooks();
  const config = app.get(ConfigService);
  const port = Number(config.get<string>('PORT') ?? 3000);
  // 127.0.0.1 keeps the demo off the network; HOST=0.0.0.0 serves other machines (or a container's port mapping).
  const host = config.get<string>('HOST') ?? '127.0.0.1';
  await app.listen(port, host);
  const everywhere = host === '0.0.0.0' || host === '::';
  const shown = everywhere ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const scope = everywhere ? `, on every network interface (HOST=${host})` : '';
  const platform = app.getHttpAdapter().getType();
  new Logger('Sample').log(
    `nest-flask-session sample listening on http://${shown}:${port}/${scope} on ${platform} (Ctrl+C to stop)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
