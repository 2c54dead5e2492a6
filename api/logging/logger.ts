import pino, { type Logger } from 'pino';

export type { Logger };

/** The root JSON logger; components take a child with their name. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'partner-portal' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // A token must never reach a log line, wherever a caller put it.
      redact: {
        paths: ['authorization', '*.authorization', '*.headers.authorization', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
