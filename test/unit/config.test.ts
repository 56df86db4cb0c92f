import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'hub-config-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('configuration', () => {
  it('runs on defaults: port 3000, embedded storage, a public URL from the port', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      adminEmail: 'admin@example.com',
      widgetOrigins: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('generates a secret key on first run, stores it under DATA_DIR, and reuses it', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'secret-key');
    expect(first.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadConfig({ DATA_DIR: dataDir }).secretKey).toBe(first.secretKey);
  });

  it('uses SECRET_KEY when given and writes nothing', () => {
    const secret = 's'.repeat(40);
    expect(loadConfig({ DATA_DIR: dataDir, SECRET_KEY: secret }).secretKey).toBe(secret);
    expect(() => statSync(path.join(dataDir, 'secret-key'))).toThrow();
  });

  it('refuses a stored secret key that was truncated', () => {
    writeFileSync(path.join(dataDir, 'secret-key'), 'short\n');
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(ConfigError);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/hub'],
    ['REDIS_URL', 'localhost:6379'],
    ['SECRET_KEY', 'too-short'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'ftp://example.com'],
  ])('stops with one line naming %s when it is %j', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dataDir, [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${variable}: `));
    expect((error as ConfigError).message).not.toContain('\n');
  });

  it('treats empty DATABASE_URL and REDIS_URL as unset (the embedded default)', () => {
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: ' ' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
  });

  it('reads the widget origins as a list and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      WIDGET_ORIGINS: 'https://shop.example.com, https://www.example.com',
      PUBLIC_URL: 'https://support.example.com/',
    });
    expect(config.widgetOrigins).toEqual(['https://shop.example.com', 'https://www.example.com']);
    expect(config.publicUrl).toBe('https://support.example.com');
  });
});
