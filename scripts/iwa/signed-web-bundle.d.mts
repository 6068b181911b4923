export const SIGNED_BUNDLE_LIMITS: Readonly<{ maxIntegrityBlockBytes: number; maxSignatures: number; maxDepth: number; maxItems: number }>;
export class SignedWebBundleError extends Error {
	readonly code: string;
	constructor(code: string, message: string);
}
export interface SignedWebBundle {
	webBundleId: string;
	signatures: { publicKey: Uint8Array; signature: Uint8Array; attributesCbor: Uint8Array }[];
	webBundle: Uint8Array;
	integrityBlockLength: number;
	unsignedIntegrityBlock: Uint8Array;
}
export function webBundleIdOf(publicKey: Uint8Array): string;
export function readSignedWebBundle(bytes: Uint8Array): SignedWebBundle;
export function verifySignedWebBundle(parsed: SignedWebBundle): Uint8Array[];
