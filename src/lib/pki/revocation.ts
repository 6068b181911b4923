/**
 * Revocation sources for chain validation: CRLs handed in as bytes, or CRLs cached in the store (which
 * implements `RevocationSource` over its records). A candidate CRL says whether it may be used at all,
 * which key signed it, what it covers, and looks serials up.
 */
import { equalBytes, toHex } from '../bytes';
import { isMynaError } from '../errors';
import type { ParsedCertificate } from './certificate';
import { parseCrlHeader, type CrlHeader } from './crl';
import { CrlIndex, type CrlEntryProblems, type RevokedEntry } from './crl-index';
import type { DistributionPointName, GeneralName } from './extensions';
import { appendRdn, nameToString, type Name } from './name';
import { verifySignature } from './signature';

/** A name in a CRL scope, as plain comparable data. */
export type ScopeName =
	| { readonly type: 'directory'; readonly key: string; readonly text: string }
	| { readonly type: 'uri' | 'dns' | 'rfc822'; readonly value: string }
	| { readonly type: 'other'; readonly value: string };

/** What a CRL covers, from its IssuingDistributionPoint (absent: every certificate of its issuer). */
export interface CrlScope {
	readonly onlyUserCerts: boolean;
	readonly onlyCaCerts: boolean;
	readonly distributionPoint?: readonly ScopeName[];
}

export const FULL_SCOPE: CrlScope = { onlyUserCerts: false, onlyCaCerts: false };

/** Plain facts about a CRL, shared by input CRLs and stored ones. */
export interface CrlFacts {
	readonly issuer: string;
	readonly issuerKey: string;
	readonly thisUpdate: number;
	readonly nextUpdate?: number;
	/** CRL number, upper-case hex of the INTEGER content. */
	readonly crlNumber?: string;
	readonly entries: number;
	readonly scope: CrlScope;
}

export interface CrlCandidate {
	readonly source: 'input' | 'store';
	readonly id: string;
	readonly facts: CrlFacts;
	/** Why this CRL must not be used (unsupported extension, delta, malformed entry…), or undefined. */
	refusal(): Promise<string | undefined>;
	/** Whether the CRL's signature verifies with this subject public key. */
	signedBy(spki: Uint8Array, spkiSha256: string): Promise<boolean>;
	lookup(serial: Uint8Array): Promise<RevokedEntry | undefined>;
}

export interface RevocationSource {
	/** CRLs whose issuer name equals `issuer` (RFC 5280 comparison). */
	candidates(issuer: Name): Promise<readonly CrlCandidate[]>;
	/** Input that could not be read at all (e.g. "2 CRLs could not be parsed"), for diagnostics. */
	readonly unreadable?: number;
}

function scopeName(name: GeneralName): ScopeName {
	switch (name.type) {
		case 'directory':
			return { type: 'directory', key: name.name.key, text: nameToString(name.name) };
		case 'uri':
		case 'dns':
		case 'rfc822':
			return { type: name.type, value: name.value };
		case 'otherName':
			return { type: 'other', value: `${name.oid}:${toHex(name.value)}` };
		case 'ip':
			return { type: 'other', value: `ip:${toHex(name.value)}` };
		case 'registeredId':
			return { type: 'other', value: `rid:${name.oid}` };
		default:
			return { type: 'other', value: `${name.tag}:${toHex(name.value)}` };
	}
}

/** The names a DistributionPointName stands for; a relative name is resolved against `relativeTo`. */
export function distributionPointNames(name: DistributionPointName, relativeTo: Name): ScopeName[] {
	if (name.fullName) return name.fullName.map(scopeName);
	if (name.relativeName) return [scopeName({ type: 'directory', name: appendRdn(relativeTo, name.relativeName) })];
	return [];
}

function sameScopeName(a: ScopeName, b: ScopeName): boolean {
	if (a.type !== b.type) return false;
	if (a.type === 'directory') return a.key === (b as typeof a).key;
	return a.value === (b as typeof a).value;
}

/** Why a CRL's IssuingDistributionPoint is refused (only full support or refusal, RFC 5280 §5.2.5). */
export function unsupportedScope(header: CrlHeader): string | undefined {
	const idp = header.issuingDistributionPoint;
	if (!idp) return undefined;
	if (idp.indirectCrl) return 'indirect CRL (not supported)';
	if (idp.onlySomeReasons !== undefined) return 'CRL partitioned by reason (not supported)';
	if (idp.onlyAttributeCerts) return 'CRL for attribute certificates';
	if (idp.onlyUserCerts && idp.onlyCaCerts) return 'CRL scope is contradictory';
	return undefined;
}

export function crlScope(header: CrlHeader): CrlScope {
	const idp = header.issuingDistributionPoint;
	if (!idp) return FULL_SCOPE;
	return {
		onlyUserCerts: idp.onlyUserCerts,
		onlyCaCerts: idp.onlyCaCerts,
		...(idp.name ? { distributionPoint: distributionPointNames(idp.name, header.issuer) } : {})
	};
}

/** Whether a CRL with this scope, issued by the certificate's issuer, covers `cert` (RFC 5280 §6.3.3 (b)). */
export function scopeCovers(scope: CrlScope, cert: ParsedCertificate): boolean {
	const ca = cert.basicConstraints?.ca === true;
	if (scope.onlyUserCerts && ca) return false;
	if (scope.onlyCaCerts && !ca) return false;
	if (!scope.distributionPoint) return true;
	for (const dp of cert.crlDistributionPoints ?? []) {
		const names = dp.name ? distributionPointNames(dp.name, cert.issuer) : (dp.crlIssuer ?? []).map(scopeName);
		if (names.some((n) => scope.distributionPoint!.some((s) => sameScopeName(n, s)))) return true;
	}
	return false;
}

export function crlFacts(header: CrlHeader, entries: number): CrlFacts {
	return {
		issuer: nameToString(header.issuer),
		issuerKey: header.issuer.key,
		thisUpdate: header.thisUpdate,
		...(header.nextUpdate === undefined ? {} : { nextUpdate: header.nextUpdate }),
		...(header.crlNumber ? { crlNumber: toHex(header.crlNumber).toUpperCase() } : {}),
		entries,
		scope: crlScope(header)
	};
}

/** Reasons from the header alone that make a CRL unusable. */
export function headerRefusal(header: CrlHeader): string | undefined {
	if (header.deltaCrl) return 'delta CRL (not supported)';
	if (header.unsupportedCriticalExtensions.length > 0) return `unsupported critical CRL extension ${header.unsupportedCriticalExtensions.join(', ')}`;
	const a = header.signatureAlgorithm.der;
	const b = header.tbsSignatureAlgorithm.der;
	if (a.length !== b.length || a.some((byte, i) => byte !== b[i])) return 'outer and inner signature algorithms differ';
	return unsupportedScope(header);
}

export function entryRefusal(problems: CrlEntryProblems): string | undefined {
	if (problems.unsupportedCriticalExtensions.length > 0) return `unsupported critical CRL entry extension ${problems.unsupportedCriticalExtensions.join(', ')}`;
	if (problems.certificateIssuer) return 'indirect CRL entries (certificateIssuer; not supported)';
	if (problems.removeFromCrl) return 'removeFromCRL in a complete CRL';
	return undefined;
}

interface ParsedInput {
	readonly header: CrlHeader;
	index?: { index: CrlIndex; refusal?: string } | { error: string };
	readonly signatures: Map<string, Promise<boolean>>;
}

const parsedInputs = new WeakMap<Uint8Array, ParsedInput | { error: string }>();


/** Parsed once per input array (re-checked against its bytes, so a reused, changed array is parsed again). */
function parseInput(der: Uint8Array): ParsedInput | { error: string } {
	let parsed = parsedInputs.get(der);
	if (parsed && 'header' in parsed && !equalBytes(parsed.header.der, der)) parsed = undefined;
	if (!parsed) {
		try {
			parsed = { header: parseCrlHeader(der.slice()), signatures: new Map() };
		} catch (error) {
			parsed = { error: isMynaError(error) ? error.message : 'unreadable CRL' };
		}
		parsedInputs.set(der, parsed);
	}
	return parsed;
}

function indexOf(parsed: ParsedInput): { index: CrlIndex; refusal?: string } | { error: string } {
	if (!parsed.index) {
		try {
			const { index, problems } = CrlIndex.build(parsed.header.der, parsed.header.entries, { allowEntryExtensions: parsed.header.version === 2 });
			const refusal = entryRefusal(problems);
			parsed.index = refusal ? { index, refusal } : { index };
		} catch (error) {
			parsed.index = { error: isMynaError(error) ? error.message : 'unreadable CRL entries' };
		}
	}
	return parsed.index;
}

/** CRLs given as DER bytes (parsed once per array and cached; entries indexed on first use). */
export function inputCrlSource(crls: readonly Uint8Array[]): RevocationSource {
	const parsed = crls.map(parseInput);
	const readable = parsed.filter((p): p is ParsedInput => 'header' in p);
	return {
		unreadable: parsed.length - readable.length,
		async candidates(issuer: Name): Promise<CrlCandidate[]> {
			return readable
				.filter((p) => p.header.issuer.key === issuer.key)
				.map((p, i) => ({
					source: 'input' as const,
					id: `input-${i}`,
					facts: crlFacts(p.header, 0),
					async refusal() {
						const header = headerRefusal(p.header);
						if (header) return header;
						const index = indexOf(p);
						return 'error' in index ? `malformed CRL entries: ${index.error}` : index.refusal;
					},
					signedBy(spki: Uint8Array) {
						const key = toHex(spki);
						let check = p.signatures.get(key);
						if (!check) {
							check = p.header.signatureWholeOctets
								? verifySignature(spki, p.header.signatureAlgorithm, p.header.tbs, p.header.signatureValue).then((r) => r === 'valid')
								: Promise.resolve(false);
							p.signatures.set(key, check);
						}
						return check;
					},
					async lookup(serial: Uint8Array) {
						const index = indexOf(p);
						return 'error' in index ? undefined : index.index.lookup(serial);
					}
				}));
		}
	};
}
