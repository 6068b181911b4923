/**
 * What the /certificates page says about one certificate, from the PKI worker's `verifyCertificate` answer: one
 * plain verdict per state a resident can meet, so the component only chooses words. Pure; unit-tested.
 */
import type { ErrorData } from '$lib/errors';
import type { CertificateInfo } from '$lib/pki/certificate-info';
import type { ChainProblem, ChainResult, CrlUse, Revocation, RevocationProblem } from '$lib/pki/chain';
import type { CertificateCheck } from '$lib/state/certificates.svelte';

export type Verdict =
	| { readonly kind: 'checking' }
	/** Valid, and not revoked according to a current CRL (`crl` is the one used for this certificate). */
	| { readonly kind: 'valid'; readonly crl?: CrlUse }
	/** A CA certificate that is itself a configured trust anchor (nothing above it to check). */
	| { readonly kind: 'anchor' }
	| { readonly kind: 'revoked'; readonly revocation: Revocation }
	/** `self`: this certificate's own dates; `ca`: a CA certificate above it. */
	| { readonly kind: 'expired'; readonly which: 'self' | 'ca' }
	| { readonly kind: 'not-yet-valid'; readonly which: 'self' | 'ca' }
	/** No usable CRL: none at all, a stale one, or one that could not be used. */
	| { readonly kind: 'revocation-unknown'; readonly reason: 'no-crl' | 'stale' | 'unusable'; readonly problem?: RevocationProblem }
	| { readonly kind: 'untrusted'; readonly code?: ChainProblem }
	| { readonly kind: 'invalid-signature' }
	| { readonly kind: 'malformed' }
	| { readonly kind: 'error'; readonly error: ErrorData };

export type VerdictKind = Verdict['kind'];

/** The CRL a valid result used for the certificate itself (the leaf), else the first one. */
function crlFor(result: ChainResult): CrlUse | undefined {
	const subject = result.path?.[0]?.subject;
	return result.crls?.find((c) => c.subject === subject) ?? result.crls?.[0];
}

function revocationUnknown(result: ChainResult): Verdict {
	const problems = result.revocationProblems ?? [];
	const subject = result.path?.[0]?.subject;
	const own = problems.filter((p) => p.subject === subject);
	const relevant = own.length > 0 ? own : problems;
	const stale = relevant.find((p) => p.problem === 'crl-stale');
	if (stale) return { kind: 'revocation-unknown', reason: 'stale', problem: stale };
	if (relevant.length === 0 || relevant.every((p) => p.problem === 'no-crl')) {
		return { kind: 'revocation-unknown', reason: 'no-crl', ...(relevant[0] ? { problem: relevant[0] } : {}) };
	}
	return { kind: 'revocation-unknown', reason: 'unusable', problem: relevant.find((p) => p.problem !== 'no-crl')! };
}

export function verdictOf(check: CertificateCheck, info: CertificateInfo): Verdict {
	if (check.state === 'checking') return { kind: 'checking' };
	if (check.state === 'failed') return { kind: 'error', error: check.error };
	const result = check.result;
	switch (result.status) {
		case 'valid':
			if (result.code === 'anchor') return { kind: 'anchor' };
			return { kind: 'valid', ...(crlFor(result) ? { crl: crlFor(result)! } : {}) };
		case 'revoked':
			return result.revocation ? { kind: 'revoked', revocation: result.revocation } : { kind: 'untrusted', code: 'revoked' };
		case 'expired':
			return { kind: 'expired', which: info.validity.expired ? 'self' : 'ca' };
		case 'not-yet-valid':
			return { kind: 'not-yet-valid', which: info.validity.notYetValid ? 'self' : 'ca' };
		case 'revocation-unknown':
			return revocationUnknown(result);
		case 'invalid-signature':
			return { kind: 'invalid-signature' };
		case 'malformed':
			return { kind: 'malformed' };
		default:
			return { kind: 'untrusted', ...(result.code ? { code: result.code } : {}) };
	}
}

/** How the verdict is shown: good, bad, or a warning (cannot tell), and still working. */
export function verdictTone(verdict: Verdict): 'ok' | 'bad' | 'warn' | 'busy' {
	switch (verdict.kind) {
		case 'checking':
			return 'busy';
		case 'valid':
		case 'anchor':
			return 'ok';
		case 'revocation-unknown':
		case 'error':
			return 'warn';
		default:
			return 'bad';
	}
}

const HOUR = 3_600_000;

/** Age of a CRL (since its thisUpdate) in whole hours, or days from two days on. */
export function crlAge(thisUpdate: string | number, now: number): { readonly unit: 'hours' | 'days'; readonly value: number } {
	const hours = Math.max(0, Math.floor((now - new Date(thisUpdate).getTime()) / HOUR));
	return hours < 48 ? { unit: 'hours', value: hours } : { unit: 'days', value: Math.floor(hours / 24) };
}
