import { expect } from '@playwright/test';
import { signatureHeaders } from '@cartback/shared';

/** The abandoned-cart lane's settings, as far as the end-to-end tests change them. */
export interface LaneSettings {
  inactivity_delay: string;
  holdout_percent: number;
  quiet_hours: { start: string; end: string };
  cap_per_contact: { max: number; window: string };
  steps: { delay: string }[];
}

/** A signed call to the sidecar's admin API (CARTBACK_E2E_SIDECAR_URL), as the plugin makes it. */
export async function sidecarAdmin(
  method: 'GET' | 'PUT',
  path: string,
  body?: unknown,
): Promise<{ settings: LaneSettings }> {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const res = await fetch((process.env.CARTBACK_E2E_SIDECAR_URL ?? '') + path, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...signatureHeaders(process.env.CARTBACK_E2E_SECRET ?? '', { method, path, body: raw }),
    },
    ...(body === undefined ? {} : { body: raw }),
  });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as { settings: LaneSettings };
}
