// How every process of the graph presents a running server, and how its main.ts runs it.

export interface RunningServer {
  port: number;
  url: string;
  stop: () => Promise<void>;
}

/**
 * Entry-point helper for every app's main.ts: start, print where, stop cleanly
 * on SIGINT/SIGTERM, exit with one line (no stack) when configuration is bad.
 */
export function runService(name: string, start: () => Promise<RunningServer>): void {
  start().then((server) => {
    console.log(`${name} listening on ${server.url}`);
    const shutdown = () => {
      server.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }, (err: unknown) => {
    console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : `${name} failed to start: ${String(err)}`);
    process.exit(1);
  });
}
