/**
 * Test kit for the Sony driver tests (RC-S300, RC-S380, the vendor pipe): what every one of them needs, once.
 * Test-only: imports Vitest.
 */
import { afterEach, expect } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../bytes';
import { MynaError } from '../../errors';
import type { TypeBReaderConnection } from './type-b-reader-connection';

export const hex = (bytes: Uint8Array): string => toHex(bytes, ' ');

const DIGEST_INFO = concatBytes(fromHex('30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20'), new Uint8Array(32).fill(0x5a));

/** The JPKI APDUs the driver tests send (auth certificate read, auth PIN 1234, a SHA-256 DigestInfo signed). */
export const JpkiTestApdu = {
	SelectJpki: fromHex('00 a4 04 0c 0a d3 92 f0 00 26 01 00 00 00 01'),
	SelectAuthCert: fromHex('00 a4 02 0c 02 00 0a'),
	Read256: fromHex('00 b0 00 00 00'),
	SelectAuthPin: fromHex('00 a4 02 0c 02 00 18'),
	VerifyAuthPin: fromHex('00 20 00 80 04 31 32 33 34'),
	SelectAuthKey: fromHex('00 a4 02 0c 02 00 17'),
	Sign: concatBytes(fromHex('80 2a 00 80 33'), DIGEST_INFO, fromHex('00'))
} as const;

/** Connections opened by a test, closed after each test (call once at the top of a test file). */
export function closeAfterEach(): TypeBReaderConnection[] {
	const open: TypeBReaderConnection[] = [];
	afterEach(async () => {
		await Promise.all(open.splice(0).map((connection) => connection.close()));
	});
	return open;
}

/** The MynaError a promise rejects with (fails the test if it resolves or rejects with something else). */
export async function rejection(promise: Promise<unknown>): Promise<MynaError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof MynaError) return error;
		throw error;
	}
	throw new Error('expected a rejection');
}

export async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
	const until = Date.now() + ms;
	while (!check()) {
		if (Date.now() > until) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
}

/** SELECT JPKI-AP, the auth PIN (VERIFY 1234) and the auth key, each 90 00; then the signature command's answer. */
export async function signWithAuthKey(connection: TypeBReaderConnection): Promise<Uint8Array> {
	for (const command of [JpkiTestApdu.SelectJpki, JpkiTestApdu.SelectAuthPin, JpkiTestApdu.VerifyAuthPin, JpkiTestApdu.SelectAuthKey]) {
		expect(hex(await connection.channel.transmit(command))).toBe('90 00');
	}
	return connection.channel.transmit(JpkiTestApdu.Sign);
}
