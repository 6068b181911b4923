import { describe, expect, it } from 'vitest';
import { parseCommandApdu } from '../apdu';
import { ErrorKind } from '../errors';
import { createVirtualCard, TestPki } from '../emulator/card';
import { CountingChannel, derSequenceOfLength, emulatedChannel, FileCard, InterceptChannel } from './card-test-channels';
import { emulatedSetup } from './card-test-setup';
import { ExtendedLengthUse } from './card-session';
import { MynaCard } from './myna-card';

const READ_BINARY = 0xb0;
const set = TestPki.certificateSet('hanako', 'valid')!;

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
const AUTH_REST = hex4(set.auth.certificate.length - 256);

function readBinaryCommands(channel: CountingChannel): string[] {
	return channel.commands.filter((c) => c.slice(2, 4) === 'B0');
}

describe('MynaCard.readCertificate', () => {
	it('reads the auth certificate and both CA certificates without a PIN, byte for byte', async () => {
		const { myna, card } = emulatedSetup();
		expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
		expect((await myna.readCertificate('auth-ca')).der).toEqual(TestPki.certificateAuthority('auth').certificate);
		expect((await myna.readCertificate('sign-ca')).der).toEqual(TestPki.certificateAuthority('sign').certificate);
		expect(card.log.some((e) => e.command.startsWith('00 20'))).toBe(false);
	});

	it('reads in 256-byte chunks on a short channel: header read + ceil(rest/256), last Le exact', async () => {
		const { myna, channel } = emulatedSetup();
		const { der } = await myna.readCertificate('auth');
		const reads = readBinaryCommands(channel);
		expect(reads.length).toBeLessThanOrEqual(Math.ceil(der.length / 256) + 1);
		expect(reads[0]).toBe('00B0000000');
		const last = parseCommandApdu(Uint8Array.from(Buffer.from(reads.at(-1)!, 'hex'))).command;
		expect(((last.p1 << 8) | last.p2) + last.le!).toBe(der.length);
		expect(myna.extendedLength).toBe(ExtendedLengthUse.Unavailable);
	});

	it('reads the body in one extended READ BINARY where channel and card both accept it', async () => {
		const { myna, channel } = emulatedSetup({ extendedLength: true });
		expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
		expect(readBinaryCommands(channel)).toEqual(['00B0000000', `00B0010000${AUTH_REST}`]);
		expect(myna.extendedLength).toBe(ExtendedLengthUse.Works);
	});

	it('caps extended reads at the channel’s maxResponseData', async () => {
		const card = createVirtualCard({ extendedLength: true });
		const channel = new CountingChannel(emulatedChannel(card, { extendedLength: true, maxResponseData: 512 }));
		expect((await new MynaCard(channel).readCertificate('sign-ca')).der).toEqual(TestPki.certificateAuthority('sign').certificate);
		const reads = readBinaryCommands(channel).map((hex) => parseCommandApdu(Uint8Array.from(Buffer.from(hex, 'hex'))).command.le!);
		expect(Math.max(...reads)).toBe(512);
	});

	it('falls back to 256-byte reads on 6700 from a card without extended length, and remembers it', async () => {
		const { myna, channel } = emulatedSetup({ channelExtendedLength: true });
		expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
		const extendedTries = (c: CountingChannel) => readBinaryCommands(c).filter((hex) => hex.length === 14);
		expect(extendedTries(channel)).toHaveLength(1);
		expect(myna.extendedLength).toBe(ExtendedLengthUse.Refused);
		channel.clear();
		expect((await myna.readCertificate('sign-ca')).der).toEqual(TestPki.certificateAuthority('sign').certificate);
		expect(extendedTries(channel)).toHaveLength(0);
		const size = TestPki.certificateAuthority('sign').certificate.length;
		expect(readBinaryCommands(channel).length).toBeLessThanOrEqual(Math.ceil(size / 256) + 1);
	});

	it('falls back on a 6Cxx answer to an extended read (transceive re-sends with the short Le) and remembers it', async () => {
		let answered = false;
		const inner = emulatedChannel(createVirtualCard({ extendedLength: true }), { extendedLength: true });
		const channel = new CountingChannel(
			new InterceptChannel(inner, (apdu) => {
				if (!answered && apdu[1] === READ_BINARY && apdu.length === 7) {
					answered = true;
					return Uint8Array.of(0x6c, 0x00);
				}
				return undefined;
			})
		);
		const myna = new MynaCard(channel);
		expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
		expect(myna.extendedLength).toBe(ExtendedLengthUse.Refused);
		expect(readBinaryCommands(channel).slice(0, 3)).toEqual(['00B0000000', `00B0010000${AUTH_REST}`, '00B0010000']);
	});

	it('follows 61xx with GET RESPONSE on every read', async () => {
		const { myna, card, channel } = emulatedSetup();
		card.faults.getResponse(true);
		expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
		expect(channel.count(0xc0)).toBeGreaterThan(0);
	});

	it('re-sends with the exact Le when the card answers 6Cxx to the header read', async () => {
		const { myna, card, channel } = emulatedSetup();
		card.faults.answerNext({ sw: 0x6c80, ins: READ_BINARY });
		expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
		expect(readBinaryCommands(channel).slice(0, 3)).toEqual(['00B0000000', '00B0000080', '00B0008000']);
	});

	it('needs the signing password for the signing certificate and sends no READ BINARY without it', async () => {
		const { myna, channel, card } = emulatedSetup();
		await expect(myna.readCertificate('sign')).rejects.toMatchObject({ kind: ErrorKind.SecurityStatus, details: { requires: 'sign' } });
		expect(readBinaryCommands(channel)).toHaveLength(0);
		expect((await myna.readCertificate('sign', { pin: 'abc123' })).der).toEqual(set.sign!.certificate);
		expect(card.triesLeft('sign')).toBe(5);
		// Verified in this session: no PIN needed again.
		expect((await myna.readCertificate('sign')).der).toEqual(set.sign!.certificate);
	});

	it('reports a missing signing certificate (child card) as such, with or without the password', async () => {
		const { myna, card } = emulatedSetup({ variant: 'child' });
		const missing = { kind: ErrorKind.FileNotFound, details: { reason: 'no-signing-certificate' } };
		await expect(myna.readCertificate('sign')).rejects.toMatchObject(missing);
		await expect(myna.readCertificate('sign', { pin: 'ABC123' })).rejects.toMatchObject(missing);
		expect(card.log.filter((e) => e.command.endsWith('**'))).toHaveLength(0);
		expect((await myna.readCertificate('auth')).der.length).toBeGreaterThan(256);
	});

	it('on a phone token the auth certificate needs the auth PIN', async () => {
		const { myna } = emulatedSetup({ variant: 'phone' });
		await expect(myna.readCertificate('auth')).rejects.toMatchObject({ kind: ErrorKind.SecurityStatus, details: { requires: 'auth' } });
		expect((await myna.readCertificate('auth', { pin: '1234' })).der).toEqual(set.auth.certificate);
	});

	it('reads a 2 KB certificate in ≤ 2 READ BINARY with extended length, ≤ ceil(size/256)+1 without', async () => {
		const cert = derSequenceOfLength(2048);
		for (const [cardExtended, channelExtended, budget] of [
			[true, true, 2],
			[false, false, Math.ceil(2048 / 256) + 1],
			[false, true, Math.ceil(2048 / 256) + 1]
		] as const) {
			const channel = new CountingChannel(
				emulatedChannel(new FileCard(new Map([[0x000a, cert]]), { extendedLength: cardExtended }), { extendedLength: channelExtended })
			);
			expect((await new MynaCard(channel).readCertificate('auth')).der).toEqual(cert);
			expect(readBinaryCommands(channel).length, `card ${cardExtended} channel ${channelExtended}`).toBeLessThanOrEqual(budget);
		}
	});

	it('refuses a header that claims more than a certificate can be, before reading it', async () => {
		const channel = new CountingChannel(emulatedChannel(new FileCard(new Map([[0x000a, Uint8Array.of(0x30, 0x83, 0x01, 0x00, 0x00, 0, 0, 0)]]))));
		await expect(new MynaCard(channel).readCertificate('auth')).rejects.toMatchObject({ kind: ErrorKind.Malformed });
		expect(readBinaryCommands(channel)).toHaveLength(1);
	});

	it('refuses a file shorter than its header says', async () => {
		const short = derSequenceOfLength(1000).subarray(0, 700);
		const channel = emulatedChannel(new FileCard(new Map([[0x000a, short]])));
		await expect(new MynaCard(channel).readCertificate('auth')).rejects.toMatchObject({ details: { sw: 0x6b00 } });
	});
});

describe('extended-length probe', () => {
	it('treats any refusal of the first extended read as "no extended length" and goes on with short reads', async () => {
		for (const sw of [0x6a86, 0x6d00, 0x6f00]) {
			const inner = emulatedChannel(createVirtualCard({ extendedLength: true }), { extendedLength: true });
			const refuse = (apdu: Uint8Array) => (apdu[1] === READ_BINARY && apdu.length === 7 ? Uint8Array.of(sw >>> 8, sw & 0xff) : undefined);
			const channel = new CountingChannel(new InterceptChannel(inner, refuse));
			const myna = new MynaCard(channel);
			expect((await myna.readCertificate('auth')).der).toEqual(set.auth.certificate);
			expect(myna.extendedLength).toBe(ExtendedLengthUse.Refused);
		}
	});
});
