/**
 * Preparing a CRL for the store: strict parse, signature over the raw TBS bytes against a configured CA,
 * every RFC 5280 rule this engine relies on, then the compact index. Pure (no storage); the store writes the
 * result atomically.
 */
import { toHex } from '../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import { parseCertificate, type ParsedCertificate } from './certificate';
import { parseCrlHeader } from './crl';
import { CrlIndex } from './crl-index';
import { KeyUsage } from './extensions';
import { nameToString } from './name';
import { crlFacts, entryRefusal, headerRefusal, type CrlFacts } from './revocation';
import { sha256, verifySignature } from './signature';

/** What the store keeps beside the DER and the index (plain data; no personal data). */
export interface CrlMetadata extends CrlFacts {
	/** Issuer + signing key + scope: one record per CRL stream. */
	readonly id: string;
	readonly signerSubject: string;
	readonly signerFingerprint: string;
	/** SHA-256 of the signer's SubjectPublicKeyInfo: a stored CRL counts only for a path whose CA has this key. */
	readonly signerSpkiSha256: string;
	readonly sha256: string;
	readonly derBytes: number;
	readonly indexBytes: number;
	readonly importedAt: number;
	readonly source: { readonly kind: 'file' } | { readonly kind: 'url'; readonly url: string };
}

export interface PreparedCrl {
	readonly metadata: CrlMetadata;
	readonly der: Uint8Array;
	readonly index: CrlIndex;
}

export type ImportPhase = 'download' | 'parse' | 'signature' | 'index' | 'store';

/** Progress: overall fraction 0–1 and the phase it is in. */
export type ImportProgress = (fraction: number, phase: ImportPhase) => void;

export interface PrepareCrlOptions {
	/** CA certificates that may have signed the CRL (the trust anchors, plus configured intermediates). */
	readonly issuers: readonly Uint8Array[];
	readonly at?: Date;
	readonly source?: CrlMetadata['source'];
	readonly onProgress?: ImportProgress;
	readonly signal?: AbortSignal;
	/** The share of the overall progress this step covers (the download may take the first part). */
	readonly progressRange?: readonly [number, number];
}

/** Tolerated clock difference for a CRL's thisUpdate at import. */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Why a well-formed CRL was refused as unsupported (`details.refusal` of a `crl-rejected` / `unsupported` error): a
 * delta CRL, an unknown critical extension (on the CRL or an entry), or something else this engine does not take
 * (indirect CRL, partial scope, outer/inner algorithm mismatch).
 */
export type CrlRefusal = 'delta' | 'critical-extension' | 'other';

function rejected(message: string, reason: string, details: Record<string, string | number> = {}): MynaError {
	return new MynaError(ErrorKind.CrlRejected, message, { reason, ...details });
}

export async function prepareCrl(der: Uint8Array, options: PrepareCrlOptions): Promise<PreparedCrl> {
	const [from, to] = options.progressRange ?? [0, 0.9];
	const report = (fraction: number, phase: ImportPhase) => options.onProgress?.(from + (to - from) * fraction, phase);
	const at = (options.at ?? new Date()).getTime();
	throwIfAborted(options.signal);
	report(0, 'parse');
	const header = parseCrlHeader(der);
	const refusal = headerRefusal(header);
	if (refusal) {
		const refused: CrlRefusal = header.deltaCrl ? 'delta' : header.unsupportedCriticalExtensions.length > 0 ? 'critical-extension' : 'other';
		throw rejected(`CRL refused: ${refusal}`, 'unsupported', { refusal: refused });
	}
	if (header.thisUpdate > at + CLOCK_SKEW_MS) throw rejected('CRL refused: it was issued in the future', 'this-update-in-future');
	if (header.nextUpdate !== undefined && header.nextUpdate < header.thisUpdate) throw rejected('CRL refused: nextUpdate is before thisUpdate', 'bad-dates');

	report(0.05, 'signature');
	const issuers = (await Promise.all(options.issuers.map((c) => parseCertificate(c).catch(() => undefined)))).filter(
		(c): c is ParsedCertificate => c !== undefined && c.subject.key === header.issuer.key
	);
	if (issuers.length === 0) throw rejected(`CRL refused: no configured CA named "${nameToString(header.issuer)}"`, 'unknown-issuer');
	let signer: ParsedCertificate | undefined;
	for (const candidate of issuers) {
		if (candidate.keyUsage !== undefined && (candidate.keyUsage & KeyUsage.cRLSign) === 0) continue;
		if (!header.signatureWholeOctets) break;
		if ((await verifySignature(candidate.spki, header.signatureAlgorithm, header.tbs, header.signatureValue)) === 'valid') {
			signer = candidate;
			break;
		}
	}
	if (!signer) throw new MynaError(ErrorKind.SignatureInvalid, 'the CRL signature does not verify with any configured CA key', { reason: 'signature' });
	throwIfAborted(options.signal);

	report(0.3, 'index');
	const { index, problems } = CrlIndex.build(header.der, header.entries, {
		allowEntryExtensions: header.version === 2,
		onProgress: (f) => report(0.3 + 0.65 * f, 'index')
	});
	const entryProblem = entryRefusal(problems);
	if (entryProblem) {
		const refused: CrlRefusal = problems.unsupportedCriticalExtensions.length > 0 ? 'critical-extension' : 'other';
		throw rejected(`CRL refused: ${entryProblem}`, 'unsupported', { refusal: refused });
	}
	throwIfAborted(options.signal);

	const facts = crlFacts(header, index.size);
	const signerSpkiSha256 = toHex(await sha256(signer.spki)).toUpperCase();
	const idSource = new TextEncoder().encode(JSON.stringify([header.issuer.key, signerSpkiSha256, facts.scope]));
	const id = toHex(await sha256(idSource)).slice(0, 32);
	report(1, 'index');
	return {
		metadata: {
			...facts,
			id,
			signerSubject: nameToString(signer.subject),
			signerFingerprint: signer.fingerprint,
			signerSpkiSha256,
			sha256: toHex(await sha256(der)).toUpperCase(),
			derBytes: der.length,
			indexBytes: index.buffer.byteLength,
			importedAt: Date.now(),
			source: options.source ?? { kind: 'file' }
		},
		der,
		index
	};
}

/** Compares CRL numbers given as hex (non-negative integers). */
export function compareCrlNumbers(a: string, b: string): number {
	const x = BigInt('0x' + (a || '0'));
	const y = BigInt('0x' + (b || '0'));
	return x < y ? -1 : x > y ? 1 : 0;
}

/** The high-water mark kept per CRL stream, separately from the CRL itself. */
export interface CrlMark {
	readonly id: string;
	readonly crlNumber?: string;
	readonly thisUpdate: number;
}

/**
 * An older CRL never replaces a newer one: the new CRL must have a higher CRL number and a thisUpdate not
 * earlier than the stored one; without CRL numbers, a later thisUpdate. Throws CrlRejected('rollback').
 */
export function assertNewer(incoming: Pick<CrlMetadata, 'crlNumber' | 'thisUpdate'>, stored: CrlMark): void {
	const details = {
		storedThisUpdate: new Date(stored.thisUpdate).toISOString(),
		incomingThisUpdate: new Date(incoming.thisUpdate).toISOString(),
		...(stored.crlNumber ? { storedCrlNumber: stored.crlNumber } : {}),
		...(incoming.crlNumber ? { incomingCrlNumber: incoming.crlNumber } : {})
	};
	if (incoming.crlNumber !== undefined && stored.crlNumber !== undefined) {
		if (compareCrlNumbers(incoming.crlNumber, stored.crlNumber) <= 0 || incoming.thisUpdate < stored.thisUpdate) {
			throw rejected('an older CRL never replaces a newer one (CRL number)', 'rollback', details);
		}
		return;
	}
	if (incoming.thisUpdate <= stored.thisUpdate) throw rejected('an older CRL never replaces a newer one (thisUpdate)', 'rollback', details);
}

export interface CrlFreshness {
	readonly state: 'current' | 'stale' | 'not-yet-valid';
	/** Hours since thisUpdate. */
	readonly ageHours: number;
	/** Hours past nextUpdate (stale CRLs only). */
	readonly overdueHours?: number;
}

export function crlFreshness(facts: Pick<CrlFacts, 'thisUpdate' | 'nextUpdate'>, at: Date = new Date()): CrlFreshness {
	const now = at.getTime();
	const ageHours = Math.floor((now - facts.thisUpdate) / 3_600_000);
	if (now < facts.thisUpdate) return { state: 'not-yet-valid', ageHours };
	if (facts.nextUpdate === undefined || now > facts.nextUpdate) {
		return { state: 'stale', ageHours, ...(facts.nextUpdate === undefined ? {} : { overdueHours: Math.floor((now - facts.nextUpdate) / 3_600_000) }) };
	}
	return { state: 'current', ageHours };
}
