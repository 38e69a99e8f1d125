// What the network features read from the user: the configured servers and requests (settings,
// restricted in untrusted workspaces), and the credentials (SecretStorage only: never settings, never logs).

import * as vscode from 'vscode';
import type { NamerdRef, TestRequest } from '../protocol/messages';

export interface NamedUrl {
  readonly name: string;
  readonly url: string;
}

/** `{name, url}` entries of a setting; a bare string is a URL named by its host. */
function namedUrls(setting: string): NamedUrl[] {
  const raw = vscode.workspace.getConfiguration('linkerdDtab').get<unknown[]>(setting, []);
  const out: NamedUrl[] = [];
  for (const e of Array.isArray(raw) ? raw : []) {
    const url = typeof e === 'string' ? e : typeof e === 'object' && e !== null && typeof (e as { url?: unknown }).url === 'string' ? (e as { url: string }).url : undefined;
    if (!url) continue;
    const given = typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
    let name = given;
    if (!name) {
      try {
        name = new URL(url).host;
      } catch {
        name = url;
      }
    }
    if (!out.some((o) => o.name === name)) out.push({ name, url });
  }
  return out;
}

export const namerdServers = (): NamedUrl[] => namedUrls('namerd.servers');
export const linkerdAdmins = (): (NamedUrl & { routers: string[] })[] => {
  const raw = vscode.workspace.getConfiguration('linkerdDtab').get<unknown[]>('linkerd.admins', []);
  return namedUrls('linkerd.admins').map((n) => {
    const entry = (Array.isArray(raw) ? raw : []).find((e) => typeof e === 'object' && e !== null && (e as { url?: unknown }).url === n.url) as { routers?: unknown } | undefined;
    const routers = Array.isArray(entry?.routers) ? entry.routers.filter((r): r is string => typeof r === 'string') : [];
    return { ...n, routers };
  });
};

export function testRequests(): TestRequest[] {
  const raw = vscode.workspace.getConfiguration('linkerdDtab').get<unknown[]>('testRequests', []);
  const out: TestRequest[] = [];
  for (const e of Array.isArray(raw) ? raw : []) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (typeof r.url !== 'string') continue;
    const headers: Record<string, string> = {};
    if (typeof r.headers === 'object' && r.headers !== null) for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k] = v;
    out.push({
      url: r.url,
      ...(typeof r.name === 'string' ? { name: r.name } : {}),
      ...(typeof r.method === 'string' ? { method: r.method } : {}),
      ...(typeof r.path === 'string' ? { path: r.path } : {}),
      headers,
    });
  }
  return out;
}

/** Network features are off in untrusted workspaces (the server refuses too). */
export function networkAllowed(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Network features (namerd, linkerd, test requests) are off in untrusted workspaces. Trust the workspace to use them.', 'Manage Workspace Trust').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** Credentials of configured URLs, kept in VS Code's SecretStorage. */
export class Credentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(url: string): string {
    return `linkerdDtab.credentials ${url.replace(/\/+$/, '')}`;
  }

  async authorization(url: string): Promise<string | undefined> {
    return (await this.secrets.get(this.key(url))) ?? undefined;
  }

  async ref(url: string): Promise<NamerdRef> {
    const authorization = await this.authorization(url);
    return { url, ...(authorization ? { authorization } : {}) };
  }

  /** Asks for a bearer token or a user and password (or to forget them) for a URL. */
  async edit(url: string): Promise<void> {
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'Bearer token', value: 'bearer' },
        { label: 'User and password (basic auth)', value: 'basic' },
        { label: 'No credentials (forget the stored ones)', value: 'none' },
      ],
      { title: `Credentials for ${url}`, placeHolder: 'How the server (or the proxy in front of it) authenticates' },
    );
    if (!kind) return;
    if (kind.value === 'none') {
      await this.secrets.delete(this.key(url));
      void vscode.window.showInformationMessage(`Credentials for ${url} forgotten.`);
      return;
    }
    if (kind.value === 'bearer') {
      const token = await vscode.window.showInputBox({ title: `Bearer token for ${url}`, password: true, ignoreFocusOut: true });
      if (!token) return;
      await this.secrets.store(this.key(url), `Bearer ${token.trim()}`);
    } else {
      const user = await vscode.window.showInputBox({ title: `User for ${url}`, ignoreFocusOut: true });
      if (user === undefined) return;
      const password = await vscode.window.showInputBox({ title: `Password for ${user} at ${url}`, password: true, ignoreFocusOut: true });
      if (password === undefined) return;
      await this.secrets.store(this.key(url), `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
    }
    void vscode.window.showInformationMessage(`Credentials for ${url} stored in VS Code's secret storage.`);
  }
}

/** Adds `{name, url}` to a list setting (the workspace's when there is one, else the user's). */
export async function addToSetting(setting: string, entry: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('linkerdDtab');
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const inspected = config.inspect<unknown[]>(setting);
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await config.update(setting, [...current, entry], target);
}
