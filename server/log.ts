import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** Structured JSON logs; secrets are redacted wherever they appear in logged objects. */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'hub'): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'req.headers.authorization', 'secretKey', '*.secretKey'],
      censor: '[redacted]',
    },
  });
}
