/** Pure helpers of the sign page: challenge input, Base64/PEM output, sizes. No card, no worker. */

export const ChallengeFormat = {
	/** The text as typed, encoded as UTF-8. */
	Text: 'text',
	/** Hex digits, spaces and colons allowed between bytes. */
	Hex: 'hex'
} as const;
export type ChallengeFormat = (typeof ChallengeFormat)[keyof typeof ChallengeFormat];

export const ChallengeProblem = {
	Empty: 'empty',
	/** Not hex, or an odd number of digits. */
	Hex: 'hex',
	TooLong: 'too-long'
} as const;
export type ChallengeProblem = (typeof ChallengeProblem)[keyof typeof ChallengeProblem];

/** A challenge is a nonce or a short message; anything longer is not what this page is for. */
export const MAX_CHALLENGE_BYTES = 64 * 1024;

export type ParsedChallenge = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; problem: ChallengeProblem };

export function parseChallenge(input: string, format: ChallengeFormat): ParsedChallenge {
	let bytes: Uint8Array<ArrayBuffer>;
	if (format === ChallengeFormat.Hex) {
		const clean = input.replace(/[\s:]/g, '');
		if (clean.length === 0) return { ok: false, problem: ChallengeProblem.Empty };
		if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) return { ok: false, problem: ChallengeProblem.Hex };
		bytes = new Uint8Array(clean.length / 2);
		for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
	} else {
		if (input.length === 0) return { ok: false, problem: ChallengeProblem.Empty };
		bytes = new TextEncoder().encode(input);
	}
	if (bytes.length > MAX_CHALLENGE_BYTES) return { ok: false, problem: ChallengeProblem.TooLong };
	return { ok: true, bytes };
}

export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

/** A DER certificate as PEM (64-character lines), the form services and tools expect when pasting. */
export function certificatePem(der: Uint8Array): string {
	const lines = toBase64(der).match(/.{1,64}/g) ?? [];
	return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----'].join('\n');
}

/** Upper-case hex in groups of 4 bytes, so a long digest can be compared by eye and wraps cleanly. */
export function groupedHex(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i++) {
		if (i > 0 && i % 4 === 0) out += ' ';
		out += bytes[i]!.toString(16).padStart(2, '0').toUpperCase();
	}
	return out;
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file size in the locale's words (1,234 bytes, 1.2 MB, 1.2 GB). */
export function formatFileSize(size: number, locale: string): string {
	let value = size;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: UNITS[unit],
		unitDisplay: unit === 0 ? 'long' : 'short',
		maximumFractionDigits: unit === 0 ? 0 : 1
	}).format(value);
}

/** 32 random bytes as hex: a challenge like a service would send. */
export function randomChallengeHex(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (b) => crypto.getRandomValues(b)): string {
	return Array.from(random(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
}
