import { isIP } from 'node:net';

/**
 * Whom Express may believe about a client's address (`X-Forwarded-For`): a number of proxy hops
 * in front of the sidecar, or the proxies' addresses and subnets. Null: no one, the header is
 * ignored and the client is the peer of the TCP connection.
 */
export type TrustProxy = number | string[] | null;

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isSubnet(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads TRUST_PROXY: unset, empty or `0` is null; `1`…`10` a hop count; otherwise a comma
 * separated list of addresses, CIDR subnets and Express's names (`loopback`, `linklocal`,
 * `uniquelocal`). Returns undefined for anything else — `true` among it, which would let every
 * client name its own address and so walk past the rate limits.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  const text = (value ?? '').trim();
  if (text === '' || text === '0') return null;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10 ? hops : undefined;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.every(isSubnet) ? entries : undefined;
}
