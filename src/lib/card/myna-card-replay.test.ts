import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApduCase, ApduForm, Instruction, parseCommandApdu, type ChannelCapabilities } from '../apdu';
import { ScriptedChannel } from '../apdu/scripted-channel';
import { toHex } from '../bytes';
import { TestPki } from '../emulator/card';
import { parseApduTranscript } from './apdu-transcript';
import { MynaCard } from './myna-card';

function replay(fixture: string, capabilities?: ChannelCapabilities) {
	const exchanges = parseApduTranscript(readFileSync(new URL(`./fixtures/${fixture}`, import.meta.url), 'utf8'));
	const script = exchanges.map((e) => ({ command: toHex(e.command), response: toHex(e.response) }));
	return { exchanges, channel: new ScriptedChannel(script, { capabilities }) };
}

/** The ISO case each instruction must go out in: no stray Lc or Le ever reaches the card. */
function expectExactCases(sent: readonly Uint8Array[]): void {
	for (const bytes of sent) {
		const { command, apduCase, form } = parseCommandApdu(bytes);
		if (command.ins === Instruction.Select) {
			expect(apduCase).toBe(ApduCase.SendsData);
			expect(form).toBe(ApduForm.Short);
		}
		if (command.ins === Instruction.ReadBinary) expect(apduCase).toBe(ApduCase.ExpectsData);
		if (command.ins === Instruction.Verify && bytes.length === 4) expect(apduCase).toBe(ApduCase.NoData);
	}
}

const authCertificate = TestPki.certificateSet('hanako', 'valid')!.auth.certificate;

describe('recorded APDU exchanges, replayed byte for byte', () => {
	it('read-auth-cert.apdu.txt: the auth certificate over a short-APDU channel', async () => {
		const { exchanges, channel } = replay('read-auth-cert.apdu.txt', { extendedLength: false, maxResponseData: 256 });
		expect((await new MynaCard(channel).readCertificate('auth')).der).toEqual(authCertificate);
		expect(channel.remaining).toBe(0);
		expect(channel.sent).toEqual(exchanges.map((e) => e.command));
		expectExactCases(channel.sent);
	});

	it('read-auth-cert-extended.apdu.txt: one header read and one extended body read', async () => {
		const { exchanges, channel } = replay('read-auth-cert-extended.apdu.txt', { extendedLength: true, maxResponseData: 65_536 });
		expect((await new MynaCard(channel).readCertificate('auth')).der).toEqual(authCertificate);
		expect(channel.remaining).toBe(0);
		expect(channel.sent).toEqual(exchanges.map((e) => e.command));
		expect(channel.sent.filter((c) => c[1] === Instruction.ReadBinary)).toHaveLength(2);
		expectExactCases(channel.sent);
	});

	it('the same short transcript works when the channel does not announce its capabilities at all', async () => {
		const { channel } = replay('read-auth-cert.apdu.txt');
		expect((await new MynaCard(channel).readCertificate('auth')).der).toEqual(authCertificate);
		expect(channel.remaining).toBe(0);
	});

	it('pin-status-auth.apdu.txt: the counter read is exactly 00 20 00 80', async () => {
		const { channel } = replay('pin-status-auth.apdu.txt');
		expect(await new MynaCard(channel).pinStatus('auth')).toMatchObject({ state: 'ready', triesLeft: 3 });
		expect(channel.remaining).toBe(0);
		expect([...channel.sent.at(-1)!]).toEqual([0x00, 0x20, 0x00, 0x80]);
		expectExactCases(channel.sent);
	});
});
