export function serveBuild(options?: { root?: string; port?: number; host?: string; quiet?: boolean }): Promise<{ url: string; close: () => Promise<void> }>;
