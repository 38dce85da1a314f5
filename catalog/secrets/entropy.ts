/**
 * High-entropy tokens: random keys that no named rule knows (a Sentry DSN's key, an internal API
 * key). A token is a run of `[A-Za-z0-9+/=_-]` of at least {@link MIN_TOKEN_LENGTH} characters that
 * mixes letters and digits and is not hyphenated words (`DECODE_AND_MERGE_SLASHES`, a path or
 * `suoke-tcm-v2-embedding-model` is never one); its Shannon
 * entropy per character is compared with a threshold per alphabet, the way truffleHog and
 * detect-secrets do (hex strings can carry at most 4 bits per character, base64 at most 6).
 *
 * Thresholds, measured on the 2-core project machine: 32 random hex characters (16 bytes) score
 * 3.3 to 3.8 bits, 20 random base64url characters (15 bytes) 3.9 to 4.2, 32 of them 4.5 to 4.8.
 * The real catalog's highest-scoring tokens of 12+ characters (`suoke-observability` 3.72,
 * `blockchain-secret` 3.69) mix no digits in, so never qualify. `test/catalog/secrets.test.ts`
 * checks random keys above and the real catalog below.
 */
export const MIN_TOKEN_LENGTH = 20;
/** Bits per character above which a hex token is reported. */
export const HEX_THRESHOLD = 3.0;
/** Bits per character above which any other token is reported. */
export const BASE64_THRESHOLD = 3.5;

const TOKEN = /[A-Za-z0-9+/=_-]+/g;
const HEX = /^[0-9a-fA-F]+$/;

/**
 * Hyphenated or underscored words with short version bits (`suoke-tcm-v2-embedding-model`,
 * `llama-3-8b`, `DECODE_AND_MERGE`): each word lowercase, capitalised or uppercase. Random
 * base64url keys mix cases inside their runs (`iHipmMJ_twsQImvCBR-eZ9`), so they stay tokens.
 */
function isWords(part: string): boolean {
  const words = part.split(/[-_]/);
  return words.length > 1 && words.every((w) => /^([A-Z]?[a-z]+|[A-Z]+)$/.test(w) || w.length <= 3);
}

/** Shannon entropy of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** The first token of `text` that looks random, or undefined. */
export function highEntropyToken(text: string): string | undefined {
  // an image digest is random by construction and public: it names bytes anyone may pull
  for (const [token] of text.replace(/sha256:[a-f0-9]{64}/g, ' ').matchAll(TOKEN)) {
    // a path segment separator splits words, not keys: `/api/v1/...` is several tokens
    for (const part of token.split('/')) {
      if (part.length < MIN_TOKEN_LENGTH || !/[A-Za-z]/.test(part) || !/\d/.test(part) || isWords(part)) continue;
      const threshold = HEX.test(part) ? HEX_THRESHOLD : BASE64_THRESHOLD;
      if (shannonEntropy(part) >= threshold) return part;
    }
  }
  return undefined;
}
