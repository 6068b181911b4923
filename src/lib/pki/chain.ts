/**
 * Certificate path validation (RFC 5280 §6.1 without policy trees) with CRL revocation (§6.3).
 *
 * Paths are built from the leaf towards the configured anchors by issuer name (AKI/SKI as a filter), shortest
 * first. Each candidate path is checked in order: signatures, validity at `at`, CA constraints (basicConstraints,
 * keyCertSign, pathLen), leaf key usage, unknown critical extensions, name constraints, then revocation of every
 * certificate below the anchor. 'valid' only when every one of them was covered by a current CRL whose signature
 * verified against its issuer (or a CRL signer that itself validates to the same anchor).
 */
import { toHex } from '../bytes';
import { isMynaError } from '../errors';
import { parseCertificate, type ParsedCertificate } from './certificate';
import type { RevokedEntry } from './crl-index';
import { KeyUsage } from './extensions';
import { certificateKind, purposeOf } from './jpki-profile';
import { constrainedNames, nameConstraintViolation } from './name-constraints';
import { nameToString } from './name';
import { inputCrlSource, scopeCovers, type CrlCandidate, type RevocationSource } from './revocation';
import { describeRevocationReason, type RevocationReasonInfo } from './revocation-reasons';
import { sha256, verifySignature, type SignatureCheck } from './signature';

export type ChainStatus = 'valid' | 'revoked' | 'expired' | 'not-yet-valid' | 'untrusted' | 'invalid-signature' | 'revocation-unknown' | 'malformed';

/** Why, in a word a UI can map to a message. */
export type ChainProblem =
	| 'anchor'
	| 'no-path'
	| 'unknown-ca-generation'
	| 'signature'
	| 'unsupported-algorithm'
	| 'algorithm-mismatch'
	| 'expired'
	| 'not-yet-valid'
	| 'not-a-ca'
	| 'ca-key-usage'
	| 'path-length'
	| 'leaf-key-usage'
	| 'unknown-critical-extension'
	| 'name-constraints'
	| 'policy-processing'
	| 'revoked'
	| 'revocation-unknown'
	| 'malformed'
	| 'too-complex';

export interface VerifyChainInput {
	readonly leaf: Uint8Array;
	/** Untrusted certificates that may complete a path (any order; extra ones are ignored). */
	readonly intermediates?: readonly Uint8Array[];
	readonly anchors: readonly Uint8Array[];
	readonly crls?: readonly Uint8Array[];
	readonly at?: Date;
}

export interface PathCertificate {
	readonly role: 'leaf' | 'intermediate' | 'anchor';
	readonly subject: string;
	readonly issuer: string;
	readonly serialNumber: string;
	readonly fingerprint: string;
	readonly notBefore: string;
	readonly notAfter: string;
}

export interface CrlUse {
	readonly subject: string;
	readonly source: 'input' | 'store';
	readonly crlIssuer: string;
	readonly thisUpdate: string;
	readonly nextUpdate?: string;
	readonly crlNumber?: string;
}

/** Why revocation could not be determined for one certificate. */
export interface RevocationProblem {
	readonly subject: string;
	readonly problem: 'no-crl' | 'crl-stale' | 'crl-not-yet-valid' | 'crl-unverifiable' | 'crl-refused' | 'crl-out-of-scope' | 'crl-signer-invalid';
	readonly detail: string;
	readonly crlIssuer?: string;
	readonly thisUpdate?: string;
	readonly nextUpdate?: string;
	/** For a stale CRL: hours since its nextUpdate passed. */
	readonly overdueHours?: number;
}

export interface Revocation {
	readonly certificate: 'leaf' | 'ca';
	readonly subject: string;
	readonly serialNumber: string;
	readonly date: string;
	readonly invalidityDate?: string;
	readonly reason: RevocationReasonInfo;
	readonly crlIssuer: string;
}

export interface ChainResult {
	readonly status: ChainStatus;
	readonly code?: ChainProblem;
	readonly detail?: string;
	readonly at: string;
	/** Leaf first, anchor last (for the path that was decided on). */
	readonly path?: readonly PathCertificate[];
	readonly revocation?: Revocation;
	readonly crls?: readonly CrlUse[];
	readonly revocationProblems?: readonly RevocationProblem[];
}

export interface VerifyOptions {
	/** Where CRLs come from; `verifyChain` passes the input CRLs, the store adds its cached ones. */
	readonly revocation: readonly RevocationSource[];
}

const Limits = {
	maxPathDepth: 8,
	maxCandidatePaths: 32,
	maxPathChecks: 256,
	maxSignerNesting: 3
} as const;

/** Stages in check order; when no path is valid, the failure that got furthest is reported. */
const Stage = { build: 0, signature: 1, validity: 2, constraints: 3, revocation: 4 } as const;

interface Failure {
	readonly stage: number;
	readonly status: ChainStatus;
	readonly code: ChainProblem;
	readonly detail: string;
	readonly path?: Path;
	readonly revocation?: Revocation;
	readonly problems?: readonly RevocationProblem[];
}

interface Path {
	/** Leaf first, up to (not including) the anchor. */
	readonly certs: readonly ParsedCertificate[];
	readonly anchor: ParsedCertificate;
}

interface Context {
	readonly at: number;
	readonly anchors: readonly ParsedCertificate[];
	readonly anchorFingerprints: ReadonlySet<string>;
	readonly bySubject: ReadonlyMap<string, readonly ParsedCertificate[]>;
	readonly sources: readonly RevocationSource[];
	readonly signatures: Map<string, Promise<SignatureCheck>>;
	readonly spkiHashes: Map<ParsedCertificate, Promise<string>>;
	readonly inProgress: Set<string>;
	checks: number;
}

type RevocationOutcome =
	| { readonly state: 'good'; readonly crls: readonly CrlUse[] }
	| { readonly state: 'revoked'; readonly entry: RevokedEntry; readonly crl: CrlCandidate }
	| { readonly state: 'unknown'; readonly problems: readonly RevocationProblem[] };

const iso = (ms: number) => new Date(ms).toISOString();
const hex = (bytes: Uint8Array) => toHex(bytes).toUpperCase();

function describePath(path: Path): PathCertificate[] {
	const entry = (cert: ParsedCertificate, role: PathCertificate['role']): PathCertificate => ({
		role,
		subject: nameToString(cert.subject),
		issuer: nameToString(cert.issuer),
		serialNumber: hex(cert.serial),
		fingerprint: cert.fingerprint,
		notBefore: iso(cert.notBefore),
		notAfter: iso(cert.notAfter)
	});
	if (path.certs[0] === path.anchor) return [entry(path.anchor, 'anchor')];
	return [...path.certs.map((c, i) => entry(c, i === 0 ? 'leaf' : 'intermediate')), entry(path.anchor, 'anchor')];
}

function keyIdFits(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
	const aki = child.authorityKeyId?.keyId;
	const ski = issuer.subjectKeyId;
	if (!aki || !ski) return true;
	return aki.length === ski.length && aki.every((b, i) => b === ski[i]);
}

/** Candidate paths by name, breadth first (shortest first), bounded in depth and count. */
function buildPaths(leaf: ParsedCertificate, ctx: Context, requiredAnchor?: string): Path[] {
	const paths: Path[] = [];
	let queue: ParsedCertificate[][] = [[leaf]];
	for (let depth = 0; depth < Limits.maxPathDepth && queue.length > 0 && paths.length < Limits.maxCandidatePaths; depth++) {
		const next: ParsedCertificate[][] = [];
		for (const chain of queue) {
			const top = chain[chain.length - 1]!;
			for (const anchor of ctx.anchors) {
				if (anchor.subject.key !== top.issuer.key || !keyIdFits(top, anchor)) continue;
				if (requiredAnchor && anchor.fingerprint !== requiredAnchor) continue;
				if (chain.some((c) => c.fingerprint === anchor.fingerprint)) continue;
				paths.push({ certs: chain, anchor });
			}
			for (const candidate of ctx.bySubject.get(top.issuer.key) ?? []) {
				if (ctx.anchorFingerprints.has(candidate.fingerprint) || !keyIdFits(top, candidate)) continue;
				if (chain.some((c) => c.fingerprint === candidate.fingerprint)) continue;
				if (next.length < Limits.maxCandidatePaths * 4) next.push([...chain, candidate]);
			}
		}
		queue = next;
	}
	return paths.slice(0, Limits.maxCandidatePaths);
}

function signatureCheck(child: ParsedCertificate, issuer: ParsedCertificate, ctx: Context): Promise<SignatureCheck> {
	const key = `${child.fingerprint}/${issuer.fingerprint}`;
	let check = ctx.signatures.get(key);
	if (!check) {
		check = verifySignature(issuer.spki, child.signatureAlgorithm, child.tbs, child.signatureValue);
		ctx.signatures.set(key, check);
	}
	return check;
}

function spkiHash(cert: ParsedCertificate, ctx: Context): Promise<string> {
	let hash = ctx.spkiHashes.get(cert);
	if (!hash) {
		hash = sha256(cert.spki).then(hex);
		ctx.spkiHashes.set(cert, hash);
	}
	return hash;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function who(cert: ParsedCertificate, index: number): string {
	return index === 0 ? 'the certificate' : `CA certificate "${nameToString(cert.subject)}"`;
}

async function checkSignatures(path: Path, ctx: Context): Promise<Failure | undefined> {
	for (let i = 0; i < path.certs.length; i++) {
		const cert = path.certs[i]!;
		const issuer = path.certs[i + 1] ?? path.anchor;
		const fail = (status: ChainStatus, code: ChainProblem, detail: string): Failure => ({ stage: Stage.signature, status, code, detail, path });
		if (!sameBytes(cert.signatureAlgorithm.der, cert.tbsSignatureAlgorithm.der)) return fail('invalid-signature', 'algorithm-mismatch', `${who(cert, i)}: outer and inner signature algorithms differ`);
		if (!cert.signatureWholeOctets) return fail('invalid-signature', 'signature', `${who(cert, i)}: the signature is not a whole number of octets`);
		const check = await signatureCheck(cert, issuer, ctx);
		if (check === 'unsupported') return fail('untrusted', 'unsupported-algorithm', `${who(cert, i)}: signature algorithm ${cert.signatureAlgorithm.oid} is not supported`);
		if (check === 'invalid') return fail('invalid-signature', 'signature', `${who(cert, i)}: signature does not verify with the key of "${nameToString(issuer.subject)}"`);
	}
	return undefined;
}

function checkValidity(path: Path, ctx: Context): Failure | undefined {
	const all = [...path.certs, path.anchor];
	for (let i = 0; i < all.length; i++) {
		const cert = all[i]!;
		const label = i === all.length - 1 ? `trust anchor "${nameToString(cert.subject)}"` : who(cert, i);
		if (ctx.at < cert.notBefore) return { stage: Stage.validity, status: 'not-yet-valid', code: 'not-yet-valid', detail: `${label} is not valid before ${iso(cert.notBefore)}`, path };
		if (ctx.at > cert.notAfter) return { stage: Stage.validity, status: 'expired', code: 'expired', detail: `${label} expired on ${iso(cert.notAfter)}`, path };
	}
	return undefined;
}

function checkConstraints(path: Path, role: 'leaf' | 'crl-signer'): Failure | undefined {
	const fail = (code: ChainProblem, detail: string): Failure => ({ stage: Stage.constraints, status: 'untrusted', code, detail, path });
	const n = path.certs.length;
	for (let i = 0; i < n; i++) {
		const cert = path.certs[i]!;
		if (cert.unknownCriticalExtensions.length > 0) return fail('unknown-critical-extension', `${who(cert, i)} has an unknown critical extension (${cert.unknownCriticalExtensions.join(', ')})`);
	}
	// Top-down: pathLen, CA checks, name constraints, and the explicit-policy counter of RFC 5280 §6.1.
	let maxPathLength = n;
	let explicitPolicy = n + 1;
	const constraints = [];
	for (let i = n - 1; i >= 0; i--) {
		const cert = path.certs[i]!;
		const leaf = i === 0;
		if ((leaf || !cert.selfIssued) && constraints.length > 0) {
			const violation = nameConstraintViolation(constrainedNames(cert.subject, cert.subjectAltNames), constraints);
			if (violation) return fail('name-constraints', `${who(cert, i)}: ${violation}`);
		}
		if (explicitPolicy === 0) return fail('policy-processing', `${who(cert, i)}: an explicit certificate policy is required, and this verifier does not process policies`);
		if (leaf) break;
		if (cert.version !== 3 || cert.basicConstraints?.ca !== true) return fail('not-a-ca', `${who(cert, i)} is not a CA certificate (basicConstraints cA)`);
		if (cert.keyUsage !== undefined && (cert.keyUsage & KeyUsage.keyCertSign) === 0) return fail('ca-key-usage', `${who(cert, i)} may not sign certificates (keyUsage keyCertSign)`);
		if (!cert.selfIssued) {
			if (maxPathLength <= 0) return fail('path-length', `${who(cert, i)} exceeds a pathLenConstraint above it`);
			maxPathLength--;
			if (explicitPolicy > 0) explicitPolicy--;
		}
		if (cert.basicConstraints.pathLen !== undefined && cert.basicConstraints.pathLen < maxPathLength) maxPathLength = cert.basicConstraints.pathLen;
		const require = cert.policyConstraints?.requireExplicitPolicy;
		if (require !== undefined && require < explicitPolicy) explicitPolicy = require;
		if (cert.nameConstraints) constraints.push(cert.nameConstraints);
	}
	const leaf = path.certs[0]!;
	if (explicitPolicy > 0) explicitPolicy--;
	if (leaf.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
	if (explicitPolicy === 0) return fail('policy-processing', 'an explicit certificate policy is required, and this verifier does not process policies');
	if (role === 'leaf' && leaf.keyUsage !== undefined && (leaf.keyUsage & (KeyUsage.digitalSignature | KeyUsage.nonRepudiation)) === 0) {
		return fail('leaf-key-usage', 'the certificate may not be used for signatures (keyUsage)');
	}
	if (role === 'crl-signer' && leaf.keyUsage !== undefined && (leaf.keyUsage & KeyUsage.cRLSign) === 0) return fail('ca-key-usage', 'the CRL signer may not sign CRLs (keyUsage cRLSign)');
	return undefined;
}

async function findSigner(
	crl: CrlCandidate,
	cert: ParsedCertificate,
	issuer: ParsedCertificate,
	anchor: ParsedCertificate,
	ctx: Context,
	nesting: number
): Promise<{ ok: true } | { ok: false; problem: RevocationProblem['problem']; detail: string }> {
	const issuerMaySign = issuer.keyUsage === undefined || (issuer.keyUsage & KeyUsage.cRLSign) !== 0;
	if (issuerMaySign && (await crl.signedBy(issuer.spki, await spkiHash(issuer, ctx)))) return { ok: true };
	// RFC 5280 §6.3.3 (f): another key of the same CA may sign its CRLs, if its certificate validates to the same anchor.
	let signerTrouble: string | undefined;
	if (nesting < Limits.maxSignerNesting) {
		for (const other of ctx.bySubject.get(cert.issuer.key) ?? []) {
			if (other === issuer || other.fingerprint === issuer.fingerprint || ctx.inProgress.has(other.fingerprint)) continue;
			if (ctx.anchorFingerprints.has(other.fingerprint)) continue;
			if (other.keyUsage !== undefined && (other.keyUsage & KeyUsage.cRLSign) === 0) continue;
			if (!(await crl.signedBy(other.spki, await spkiHash(other, ctx)))) continue;
			const outcome = await validate(other, ctx, 'crl-signer', anchor.fingerprint, nesting + 1);
			if (outcome.status === 'valid') return { ok: true };
			signerTrouble = `the CRL signer "${nameToString(other.subject)}" is not valid: ${outcome.detail ?? outcome.status}`;
		}
	}
	if (signerTrouble) return { ok: false, problem: 'crl-signer-invalid', detail: signerTrouble };
	return {
		ok: false,
		problem: 'crl-unverifiable',
		detail: issuerMaySign ? 'the CRL signature does not verify with the issuing CA key' : 'the issuing CA may not sign CRLs (keyUsage cRLSign) and no other CRL signer validates'
	};
}

async function checkRevocation(
	cert: ParsedCertificate,
	issuer: ParsedCertificate,
	anchor: ParsedCertificate,
	ctx: Context,
	nesting: number
): Promise<RevocationOutcome> {
	const subject = nameToString(cert.subject);
	const candidates = (await Promise.all(ctx.sources.map((s) => s.candidates(cert.issuer)))).flat();
	const problems: RevocationProblem[] = [];
	const usable: CrlCandidate[] = [];
	ctx.inProgress.add(cert.fingerprint);
	try {
		for (const crl of candidates) {
			const facts = crl.facts;
			const about = {
				subject,
				crlIssuer: facts.issuer,
				thisUpdate: iso(facts.thisUpdate),
				...(facts.nextUpdate === undefined ? {} : { nextUpdate: iso(facts.nextUpdate) })
			};
			const refusal = await crl.refusal();
			if (refusal) {
				problems.push({ ...about, problem: 'crl-refused', detail: refusal });
				continue;
			}
			if (!scopeCovers(facts.scope, cert)) {
				problems.push({ ...about, problem: 'crl-out-of-scope', detail: 'the CRL does not cover this certificate (issuing distribution point)' });
				continue;
			}
			if (facts.thisUpdate > ctx.at) {
				problems.push({ ...about, problem: 'crl-not-yet-valid', detail: 'the CRL was issued after the validation time' });
				continue;
			}
			if (facts.nextUpdate === undefined || facts.nextUpdate < ctx.at) {
				const overdue = facts.nextUpdate === undefined ? undefined : Math.floor((ctx.at - facts.nextUpdate) / 3_600_000);
				problems.push({
					...about,
					problem: 'crl-stale',
					detail: facts.nextUpdate === undefined ? 'the CRL has no nextUpdate' : `the CRL is out of date since ${iso(facts.nextUpdate)}`,
					...(overdue === undefined ? {} : { overdueHours: overdue })
				});
				continue;
			}
			const signer = await findSigner(crl, cert, issuer, anchor, ctx, nesting);
			if (!signer.ok) {
				problems.push({ ...about, problem: signer.problem, detail: signer.detail });
				continue;
			}
			usable.push(crl);
		}
		for (const crl of usable) {
			const entry = await crl.lookup(cert.serial);
			if (entry) return { state: 'revoked', entry, crl };
		}
	} finally {
		ctx.inProgress.delete(cert.fingerprint);
	}
	if (usable.length > 0) {
		return {
			state: 'good',
			crls: usable.map((crl) => ({
				subject,
				source: crl.source,
				crlIssuer: crl.facts.issuer,
				thisUpdate: iso(crl.facts.thisUpdate),
				...(crl.facts.nextUpdate === undefined ? {} : { nextUpdate: iso(crl.facts.nextUpdate) }),
				...(crl.facts.crlNumber === undefined ? {} : { crlNumber: crl.facts.crlNumber })
			}))
		};
	}
	if (problems.length === 0) problems.push({ subject, problem: 'no-crl', detail: `no CRL from "${nameToString(cert.issuer)}" is available` });
	return { state: 'unknown', problems };
}

async function checkRevocations(path: Path, ctx: Context, nesting: number): Promise<Failure | { crls: CrlUse[] }> {
	const crls: CrlUse[] = [];
	const problems: RevocationProblem[] = [];
	let revoked: Revocation | undefined;
	for (let i = 0; i < path.certs.length; i++) {
		const cert = path.certs[i]!;
		const outcome = await checkRevocation(cert, path.certs[i + 1] ?? path.anchor, path.anchor, ctx, nesting);
		if (outcome.state === 'revoked') {
			revoked ??= {
				certificate: i === 0 ? 'leaf' : 'ca',
				subject: nameToString(cert.subject),
				serialNumber: hex(cert.serial),
				date: iso(outcome.entry.revocationDate),
				...(outcome.entry.invalidityDate === undefined ? {} : { invalidityDate: iso(outcome.entry.invalidityDate) }),
				reason: describeRevocationReason(outcome.entry.reason, i === 0 ? purposeOf(certificateKind(cert)) : 'other'),
				crlIssuer: outcome.crl.facts.issuer
			};
		} else if (outcome.state === 'unknown') problems.push(...outcome.problems);
		else crls.push(...outcome.crls);
	}
	if (revoked) {
		const detail = revoked.certificate === 'leaf' ? revoked.reason.en : `CA certificate "${revoked.subject}" was revoked`;
		return { stage: Stage.revocation, status: 'revoked', code: 'revoked', detail, path, revocation: revoked };
	}
	if (problems.length > 0) {
		return { stage: Stage.revocation, status: 'revocation-unknown', code: 'revocation-unknown', detail: problems.map((p) => `${p.subject}: ${p.detail}`).join('; '), path, problems };
	}
	return { crls };
}

interface Outcome extends ChainResult {
	readonly stage: number;
}

async function validate(leaf: ParsedCertificate, ctx: Context, role: 'leaf' | 'crl-signer', requiredAnchor: string | undefined, nesting: number): Promise<Outcome> {
	const at = iso(ctx.at);
	if (role === 'leaf' && ctx.anchorFingerprints.has(leaf.fingerprint)) {
		const anchor = ctx.anchors.find((a) => a.fingerprint === leaf.fingerprint)!;
		const validity = checkValidity({ certs: [], anchor }, ctx);
		if (validity) return { stage: validity.stage, status: validity.status, code: validity.code, detail: validity.detail, at };
		return { stage: Stage.revocation, status: 'valid', code: 'anchor', detail: 'the certificate is a configured trust anchor', at, path: describePath({ certs: [anchor], anchor }) };
	}
	const paths = buildPaths(leaf, ctx, requiredAnchor);
	if (paths.length === 0) {
		const sameName = ctx.anchors.some((a) => a.subject.key === leaf.issuer.key);
		return sameName
			? {
					stage: Stage.build,
					status: 'untrusted',
					code: 'unknown-ca-generation',
					detail: `issued by "${nameToString(leaf.issuer)}" with a key none of the configured anchors has (an unknown CA generation)`,
					at
				}
			: { stage: Stage.build, status: 'untrusted', code: 'no-path', detail: `no path from "${nameToString(leaf.issuer)}" to a configured trust anchor`, at };
	}
	let best: Failure | undefined;
	for (const path of paths) {
		if (++ctx.checks > Limits.maxPathChecks) {
			best ??= { stage: Stage.build, status: 'untrusted', code: 'too-complex', detail: 'too many candidate paths' };
			break;
		}
		const failure = (await checkSignatures(path, ctx)) ?? checkValidity(path, ctx) ?? checkConstraints(path, role);
		const result = failure ?? (await checkRevocations(path, ctx, nesting));
		if (!('stage' in result)) {
			return { stage: Stage.revocation, status: 'valid', at, path: describePath(path), crls: result.crls };
		}
		if (!best || result.stage > best.stage) best = result;
	}
	const failure = best!;
	return {
		stage: failure.stage,
		status: failure.status,
		code: failure.code,
		detail: failure.detail,
		at,
		...(failure.path ? { path: describePath(failure.path) } : {}),
		...(failure.revocation ? { revocation: failure.revocation } : {}),
		...(failure.problems ? { revocationProblems: failure.problems } : {})
	};
}

async function parseAll(list: readonly Uint8Array[]): Promise<ParsedCertificate[]> {
	const parsed = await Promise.all(list.map((der) => parseCertificate(der).catch(() => undefined)));
	const seen = new Set<string>();
	return parsed.filter((c): c is ParsedCertificate => c !== undefined && !seen.has(c.fingerprint) && (seen.add(c.fingerprint), true));
}

/** Path validation with revocation from the given sources (the second entry point: e.g. CRLs cached in the store). */
export async function verifyChainWith(input: VerifyChainInput, options: VerifyOptions): Promise<ChainResult> {
	const at = (input.at ?? new Date()).getTime();
	let leaf: ParsedCertificate;
	try {
		leaf = await parseCertificate(input.leaf);
	} catch (error) {
		return { status: 'malformed', code: 'malformed', detail: isMynaError(error) ? error.message : 'the certificate could not be read', at: iso(at) };
	}
	const anchors = await parseAll(input.anchors);
	const pool = await parseAll([...(input.intermediates ?? []), ...input.anchors]);
	const bySubject = new Map<string, ParsedCertificate[]>();
	for (const cert of pool) {
		const list = bySubject.get(cert.subject.key) ?? [];
		list.push(cert);
		bySubject.set(cert.subject.key, list);
	}
	const ctx: Context = {
		at,
		anchors,
		anchorFingerprints: new Set(anchors.map((a) => a.fingerprint)),
		bySubject,
		sources: options.revocation,
		signatures: new Map(),
		spkiHashes: new Map(),
		inProgress: new Set(),
		checks: 0
	};
	const { stage: _stage, ...result } = await validate(leaf, ctx, 'leaf', undefined, 0);
	return result;
}

/**
 * The design seam: path to one of `anchors`, signatures, validity at `at` (default now), CA constraints,
 * leaf key usage, unknown critical extensions, then revocation from `crls`. Never throws for bad input:
 * unreadable certificates give 'malformed', unusable or missing CRLs 'revocation-unknown'.
 */
export function verifyChain(input: VerifyChainInput): Promise<ChainResult> {
	return verifyChainWith(input, { revocation: [inputCrlSource(input.crls ?? [])] });
}
