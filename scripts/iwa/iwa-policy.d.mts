export const IWA_CSP: string;
export const IWA_ISOLATION_HEADERS: Readonly<Record<'Cross-Origin-Opener-Policy' | 'Cross-Origin-Embedder-Policy' | 'Cross-Origin-Resource-Policy', string>>;
export const IWA_PERMISSIONS_POLICY: Readonly<Record<string, readonly string[]>>;
export const IWA_MANIFEST_PATH: string;
