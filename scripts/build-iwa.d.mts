import type { KeyObject } from 'node:crypto';

export const IWA_PATHS: Readonly<{
	build: string;
	out: string;
	bundle: string;
	devKey: string;
	trustedTypes: string;
	staticManifest: string;
	routes: string;
	packageJson: string;
}>;
export const IWA_FILES: Readonly<{ bootstrap: string; trustedTypes: string; manifest: string }>;
export function pagePaths(routesDir?: string): string[];
export function iwaPage(fallbackHtml: string): { html: string; bootstrap: string };
export function iwaManifest(input: { staticManifest: Record<string, unknown>; version: string; startUrl: string }): Record<string, unknown>;
export function signingKey(env?: NodeJS.ProcessEnv, devKeyPath?: string): { key: KeyObject; source: 'operator' | 'development' };
export function buildIwa(options?: { buildDir?: string; output?: string; env?: NodeJS.ProcessEnv; quiet?: boolean }): Promise<{
	output: string;
	webBundleId: string;
	origin: string;
	keySource: 'operator' | 'development';
	entries: number;
	bytes: number;
	startUrl: string;
	ms: number;
}>;
