/**
 * The fake WhatsApp Cloud API (the project's test double of Meta's API, service/src/fake-whatsapp)
 * as the end-to-end run uses it: the templates' link prefix, and what it received.
 */

interface TemplateButton {
  type: string;
  text: string;
  url?: string;
}

interface Template {
  name: string;
  components: Array<{ type: string; buttons?: TemplateButton[] }>;
}

/**
 * A business registers its templates with the URL its links really open: the fake starts with
 * `https://cartback.example/r/{{1}}`, so every URL button of its templates is pointed at the
 * sidecar's PUBLIC_BASE_URL (read through the Graph API, changed through the sandbox).
 */
export async function pointTemplateLinksAt(
  fakeUrl: string,
  publicBaseUrl: string,
  sidecarEnv: Record<string, string>,
): Promise<void> {
  const res = await fetch(
    `${fakeUrl}/${sidecarEnv.WHATSAPP_API_VERSION ?? 'v24.0'}/${sidecarEnv.WHATSAPP_WABA_ID}/message_templates?limit=100`,
    {
      headers: { Authorization: `Bearer ${sidecarEnv.WHATSAPP_ACCESS_TOKEN}` },
    },
  );
  if (!res.ok) throw new Error(`listing the fake's templates: ${res.status} ${await res.text()}`);
  const { data } = (await res.json()) as { data: Template[] };
  for (const template of data) {
    const buttons = template.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
    const links = buttons.filter((b) => b.type === 'URL' && b.url?.includes('/r/{{1}}'));
    if (links.length === 0) continue;
    for (const link of links) link.url = `${publicBaseUrl}/r/{{1}}`;
    const saved = await fetch(`${fakeUrl}/_sandbox/templates`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(template),
    });
    if (!saved.ok) throw new Error(`updating template ${template.name}: ${saved.status} ${await saved.text()}`);
  }
}

/** A message as the fake recorded it (GET /_sandbox/messages). */
export interface SandboxMessage {
  to: string;
  type: string;
  template: { name: string; language: string; category: string } | null;
  header?: string | null;
  body?: string;
  buttons?: TemplateButton[];
  /** When the fake accepted it (ISO 8601). */
  receivedAt: string;
}

export async function sandboxMessages(fakeUrl: string): Promise<SandboxMessage[]> {
  const res = await fetch(`${fakeUrl}/_sandbox/messages`);
  return ((await res.json()) as { messages: SandboxMessage[] }).messages;
}
