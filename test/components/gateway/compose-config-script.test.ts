import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_FILE, CONFIG_SOURCE_DIR, DECLARATIVE_DIR, JWT_SECRETS_DIR } from '../../../components/gateway';
import { objectsOf } from '../../support/platform';

/**
 * Kong 3.9.1's decoding of a `secret_is_base64` HMAC secret, transcribed from
 * kong/plugins/jwt/jwt_parser.lua `base64_decode` (pad with "=" to a multiple of four, then
 * `ngx.base64.decode_base64url`) and nginx's ngx_decode_base64url, which stops at "=" and fails on
 * any character outside the base64url alphabet, and on a length of 1 modulo 4.
 */
function kongDecodeSecret(secret: string): Buffer {
  const padded = secret.length % 4 > 0 ? secret + '='.repeat(4 - (secret.length % 4)) : secret;
  const data = padded.slice(0, padded.includes('=') ? padded.indexOf('=') : padded.length);
  if (/[^A-Za-z0-9_-]/.test(data)) throw new Error(`Invalid key/secret: "${secret}" is not base64url`);
  if (data.length % 4 === 1) throw new Error(`Invalid key/secret: "${secret}" has a dangling character`);
  return Buffer.from(data, 'base64url');
}

const deployment = objectsOf('prod').find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'api-gateway')!.object;
const configMap = objectsOf('prod').find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'api-gateway-config')!.object;
const init = deployment.spec.template.spec.initContainers.find((c: any) => c.name === 'compose-config');
/** The script exactly as the init container runs it (`/bin/sh -c <script>`). */
const script: string = init.command[2];
const consumer = 'suoke-app';

/** Runs the real script with `sh`, its three folders moved under a temp dir; returns the composed config. */
function compose(key: Buffer | undefined): { status: number | null; stderr: string; config?: any } {
  const root = mkdtempSync(join(tmpdir(), 'kong-compose-'));
  const dirs = { config: join(root, 'config'), declarative: join(root, 'declarative'), jwt: join(root, 'jwt') };
  Object.values(dirs).forEach((d) => mkdirSync(d));
  writeFileSync(join(dirs.config, CONFIG_FILE), configMap.data[CONFIG_FILE]);
  if (key) writeFileSync(join(dirs.jwt, consumer), key);
  const relocated = script.replaceAll(CONFIG_SOURCE_DIR, dirs.config).replaceAll(DECLARATIVE_DIR, dirs.declarative).replaceAll(JWT_SECRETS_DIR, dirs.jwt);
  const run = spawnSync('sh', ['-c', relocated], { encoding: 'utf8' });
  return {
    status: run.status,
    stderr: run.stderr,
    ...(run.status === 0 ? { config: parse(readFileSync(join(dirs.declarative, CONFIG_FILE), 'utf8')) } : {}),
  };
}

/** Keys whose standard base64 has "+", "/" and "=", and keys of arbitrary bytes (NUL, newline, 0xff). */
const KEYS: Record<string, Buffer> = {
  'plus and slash': Buffer.from([0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff]),
  'one "=" of padding': Buffer.from([0xfb, 0xff, 0x3e, 0x10, 0x00]),
  'two "=" of padding': Buffer.from([0xff, 0xfe, 0xfd, 0xfc]),
  'every byte value': Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  'trailing newline': Buffer.from('k3y/with+new\nline\n'),
  '32 random bytes': Buffer.from('8f0c2e9b7d1a4f6e3b5c0a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f', 'hex'),
};

describe('the init container that writes jwt_secrets (run with sh)', () => {
  it('is the script the Deployment runs, reading the consumer secret from its file', () => {
    expect(init.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(script).toContain(`${JWT_SECRETS_DIR}/${consumer}`);
    expect(execFileSync('sh', ['-n', '-c', script]).toString()).toBe('');
  });

  for (const [name, key] of Object.entries(KEYS)) {
    it(`${name}: Kong's base64url decode of the written secret returns the original bytes`, () => {
      const { status, stderr, config } = compose(key);
      expect([status, stderr]).toEqual([0, '']);
      // what jwt/daos.lua expects of a jwt_secrets entry, for the consumer the ConfigMap declares.
      expect(config.jwt_secrets).toEqual([{ consumer, key: 'auth-service', algorithm: 'HS256', secret: expect.stringMatching(/^[A-Za-z0-9_-]+$/) }]);
      expect(config.consumers).toEqual([{ username: consumer }]);
      expect(kongDecodeSecret(config.jwt_secrets[0].secret).equals(key)).toBe(true);
      // and the routes decode it that way: secret_is_base64 on every jwt route.
      const jwtRoutes = config.services.flatMap((s: any) => s.routes[0].plugins ?? []).filter((p: any) => p.name === 'jwt');
      expect(jwtRoutes.length).toBeGreaterThan(0);
      expect(jwtRoutes.every((p: any) => p.config.secret_is_base64 === true)).toBe(true);
    });
  }

  it('the keys exercise "+", "/" and "=" in standard base64', () => {
    const standard = Object.values(KEYS).map((k) => k.toString('base64')).join('');
    expect(['+', '/', '='].filter((c) => standard.includes(c))).toEqual(['+', '/', '=']);
  });

  it("rejects standard base64, which the old script wrote: Kong's decoder fails on + and /", () => {
    expect(() => kongDecodeSecret(KEYS['plus and slash'].toString('base64'))).toThrow('is not base64url');
  });

  it('stops the pod when the secret file is missing or empty, instead of writing an empty secret', () => {
    const missing = compose(undefined);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(new RegExp(`^jwt secret of consumer ${consumer} is missing or empty: /.*/jwt/${consumer}\n$`));
    expect(compose(Buffer.alloc(0)).status).toBe(1);
  });
});
