import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CATALOG_FILE } from '../../catalog';
import { BASE64_THRESHOLD, HEX_THRESHOLD, highEntropyToken, shannonEntropy } from '../../catalog/secrets/entropy';
import { catalogValues, findSecrets } from '../../catalog/secrets/scan';

describe('high-entropy tokens', () => {
  it('measures Shannon entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('0123456789abcdef')).toBe(4);
  });

  it('reports random hex and base64 keys of 20+ characters', () => {
    // 200 random-looking keys, the same on every run (hash outputs), so the test cannot flake
    const bytes = (i: number, n: number) => createHash('sha256').update(`key ${i}`).digest().subarray(0, n);
    for (let i = 0; i < 200; i++) {
      const hex = bytes(i, 16).toString('hex');
      const b64 = bytes(i, 15).toString('base64url');
      // a random key without a digit or without a letter is not a token by definition: make sure it mixes both
      expect(highEntropyToken(`https://${hex}a1@o1.ingest.example/5`), hex).toBe(`${hex}a1`);
      expect(highEntropyToken(`key ${b64}Z9`), b64).toBe(`${b64}Z9`);
    }
  });

  it('leaves words, paths, names and versions alone', () => {
    for (const text of ['DECODE_AND_MERGE_SLASHES', 'Accept-Version-Header-2', 'llama-3-8b-instruct-q4', '/api/v1/diagnosis/knowledge/*', 'opentelemetry-collector-contrib', 'suoke-tcm-v2-embedding-model', '8.1.11-alpine', 'registry.suoke.life/suoke/xiaoai-service']) {
      expect(highEntropyToken(text), text).toBeUndefined();
    }
  });

  it('thresholds sit between the real catalog and random keys', () => {
    expect(HEX_THRESHOLD).toBeLessThan(3.3);
    expect(BASE64_THRESHOLD).toBeLessThan(3.9);
  });

  it('keeps a base64url key whose runs look like words apart from hyphenated words', () => {
    expect(highEntropyToken('key iHipmMJ_twsQImvCBR-eZ9')).toBe('iHipmMJ_twsQImvCBR-eZ9');
  });
});

describe('secret scan of the real catalog', () => {
  it('finds nothing in catalog/platform.yaml (zero false positives, no allow-list needed)', () => {
    const document = parse(readFileSync(CATALOG_FILE, 'utf8'));
    const values = catalogValues(document);
    expect(values.length).toBeGreaterThan(100);
    expect(findSecrets(values)).toEqual([]);
  });

  it('still finds a key planted in a copy of it, at the planted path', () => {
    const document = parse(readFileSync(CATALOG_FILE, 'utf8'));
    document.services[0].config = { ...(document.services[0].config ?? {}), upstream: { url: 'amqp://orders:Tr0ub4dor3@mq.internal:5672/' } };
    expect(findSecrets(catalogValues(document))).toEqual([{ path: ['services', 0, 'config', 'upstream', 'url'], what: 'a URL with a password (user:password@)' }]);
  });
});
