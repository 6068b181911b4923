import { describe, expect, it } from 'vitest';
import { ErrorKind, isMynaError, type MynaError } from '../errors';
import { emulatedChannel } from './card-test-channels';
import { emulatedSetup, pinCommandsSent } from './card-test-setup';
import { createVirtualCard } from '../emulator/card';
import { MynaCard } from './myna-card';
import { PinState } from './pin-guard';
import { RecoveryPlace } from './pin-recovery';
import { ALL_PIN_KINDS } from './pin-specs';

async function rejection(promise: Promise<unknown>): Promise<MynaError> {
	try {
		await promise;
	} catch (error) {
		if (isMynaError(error)) return error;
		throw error;
	}
	throw new Error('expected a rejection');
}

describe('PIN status', () => {
	it('reads a counter with exactly 00 20 00 80 and spends no try', async () => {
		const { myna, channel, card } = emulatedSetup();
		expect(await myna.pinStatus('auth')).toEqual({ pin: 'auth', state: PinState.Ready, triesLeft: 3, maxTries: 3, lastTry: false });
		expect(channel.commands.at(-1)).toBe('00200080');
		expect(card.triesLeft('auth')).toBe(3);
	});

	it('reads every counter, each application selected once', async () => {
		const { myna, channel, card } = emulatedSetup({ triesLeft: { sign: 1, text: 0 } });
		const statuses = await myna.pinStatuses();
		expect(statuses.map((s) => [s.pin, s.state, s.triesLeft])).toEqual([
			['auth', 'ready', 3],
			['sign', 'ready', 1],
			['text', 'blocked', 0],
			['text-a', 'ready', 3],
			['text-b', 'ready', 3],
			['visual-a', 'ready', 3],
			['visual-b', 'ready', 3]
		]);
		expect(statuses[1]!.lastTry).toBe(true);
		expect(statuses[2]!.recovery).toMatchObject({ pin: 'text', places: [RecoveryPlace.MunicipalOffice] });
		expect(channel.commands.filter((c) => c.startsWith('00A4040C'))).toHaveLength(3);
		expect(channel.commands.filter((c) => c === '00200080')).toHaveLength(ALL_PIN_KINDS.length);
		expect(pinCommandsSent(card)).toBe(0);
	});

	it('reports PINs the card lacks as absent (住基カード: only the JPKI-AP; child: no signing password)', async () => {
		const juki = await emulatedSetup({ variant: 'juki' }).myna.pinStatuses();
		expect(juki.filter((s) => s.state === PinState.Absent).map((s) => s.pin)).toEqual(['text', 'text-a', 'text-b', 'visual-a', 'visual-b']);
		expect(await emulatedSetup({ variant: 'child' }).myna.pinStatus('sign')).toMatchObject({ state: PinState.Absent });
	});

	it('handles both answers to the counter read of a verified PIN (9000 or 63Cx)', async () => {
		const iso = emulatedSetup();
		await iso.myna.verifyPin('auth', '1234');
		expect(await iso.myna.pinStatus('auth')).toMatchObject({ state: PinState.Verified, lastTry: false });
		await iso.myna.verifyPin('auth', '1234');
		const counter = emulatedSetup({ verifiedEmptyVerify: '63Cx' });
		await counter.myna.verifyPin('auth', '1234');
		expect(await counter.myna.pinStatus('auth')).toMatchObject({ state: PinState.Ready, triesLeft: 3 });
	});
});

describe('PIN guard on VERIFY', () => {
	it('checks the format before anything is sent', async () => {
		const { myna, channel } = emulatedSetup();
		for (const [kind, pin] of [
			['auth', '123'],
			['auth', '12345'],
			['auth', '１２３４'],
			['text', 'abcd'],
			['sign', 'ABC12'],
			['sign', 'ABCDEFGHIJKLMNOPQ'],
			['sign', 'ABC-123'],
			['sign', 'straße1'],
			['visual-a', '123456789012'],
			['visual-b', '123456789012345']
		] as const) {
			const error = await rejection(myna.verifyPin(kind, pin));
			expect(error.kind, `${kind}`).toBe(ErrorKind.PinFormat);
			expect(JSON.stringify(error.toData())).not.toContain(pin);
		}
		expect(channel.apdus).toBe(0);
	});

	it('reads the counter before every VERIFY, and a correct PIN restores the count', async () => {
		const { myna, channel, card } = emulatedSetup({ triesLeft: { auth: 2 } });
		expect(await myna.verifyPin('auth', '1234')).toEqual({ pin: 'auth', verified: true, triesLeft: 3 });
		expect(channel.commands.slice(-2)).toEqual(['00200080', '00200080**']);
		expect(card.triesLeft('auth')).toBe(3);
	});

	it('upper-cases the signing password before sending it', async () => {
		const { myna, card } = emulatedSetup();
		await myna.verifyPin('sign', 'abc123');
		expect(card.isVerified('sign')).toBe(true);
	});

	it('a wrong PIN costs exactly one try, is not retried, and says how many are left', async () => {
		const { myna, card } = emulatedSetup();
		const error = await rejection(myna.verifyPin('auth', '9999'));
		expect(error).toMatchObject({ kind: ErrorKind.PinWrong, details: { pin: 'auth', triesLeft: 2, maxTries: 3 } });
		expect(card.triesLeft('auth')).toBe(2);
		expect(pinCommandsSent(card)).toBe(1);
		expect(JSON.stringify(error.toData())).not.toContain('9999');

		const sign = await rejection(myna.verifyPin('sign', 'WRONG1'));
		expect(sign).toMatchObject({ kind: ErrorKind.PinWrong, details: { triesLeft: 4 } });
		expect(card.triesLeft('sign')).toBe(4);
	});

	it('refuses the last try without confirmation, before sending the PIN', async () => {
		const { myna, card } = emulatedSetup({ triesLeft: { auth: 1 } });
		const error = await rejection(myna.verifyPin('auth', '1234'));
		expect(error).toMatchObject({ kind: ErrorKind.PinLastTry, details: { pin: 'auth', triesLeft: 1 } });
		expect(pinCommandsSent(card)).toBe(0);
		expect(card.triesLeft('auth')).toBe(1);
		expect(await myna.verifyPin('auth', '1234', { confirmLastTry: true })).toMatchObject({ verified: true });
	});

	it('a confirmed wrong last try blocks the PIN and says where to reset it', async () => {
		const { myna, card } = emulatedSetup({ triesLeft: { auth: 1 } });
		const error = await rejection(myna.verifyPin('auth', '0000', { confirmLastTry: true }));
		expect(error).toMatchObject({ kind: ErrorKind.PinBlocked, details: { pin: 'auth', triesLeft: 0, justBlocked: true } });
		expect(error.details.recovery).toBe('convenience-store,municipal-office');
		expect(card.triesLeft('auth')).toBe(0);
	});

	it('refuses a blocked PIN without sending it, and without any APDU once the session has seen it blocked', async () => {
		const { myna, card, channel } = emulatedSetup({ triesLeft: { sign: 0 } });
		const first = await rejection(myna.verifyPin('sign', 'ABC123', { confirmLastTry: true }));
		expect(first).toMatchObject({ kind: ErrorKind.PinBlocked, details: { pin: 'sign', justBlocked: false } });
		expect(pinCommandsSent(card)).toBe(0);
		const before = channel.apdus;
		await expect(myna.verifyPin('sign', 'ABC123', { confirmLastTry: true })).rejects.toMatchObject({ kind: ErrorKind.PinBlocked });
		await expect(myna.changePin('sign', 'ABC123', 'NEWPASS1')).rejects.toMatchObject({ kind: ErrorKind.PinBlocked });
		expect(channel.apdus).toBe(before);
	});

	it('also refuses a PIN the card reports blocked with 6983 / 6984', async () => {
		for (const sw of [0x6983, 0x6984]) {
			const { myna, card } = emulatedSetup();
			await myna.pinStatus('auth');
			card.faults.answerNext({ sw, ins: 0x20 });
			await expect(myna.verifyPin('auth', '1234')).rejects.toMatchObject({ kind: ErrorKind.PinBlocked });
			expect(pinCommandsSent(card)).toBe(0);
		}
	});

	it('gives recovery hints as structured ja/en data: kiosk for auth/sign when the other is usable, office otherwise', async () => {
		const { myna } = emulatedSetup({ triesLeft: { auth: 0, sign: 0, text: 0 } });
		const statuses = await myna.pinStatuses({ pins: ['auth', 'sign', 'text'] });
		for (const status of statuses) {
			expect(status.recovery?.places).toEqual([RecoveryPlace.MunicipalOffice]);
			expect(status.recovery?.ja).toContain('市区町村の窓口');
			expect(status.recovery?.en).toContain('municipal office');
		}
		const one = await emulatedSetup({ triesLeft: { auth: 0 } }).myna.pinStatus('auth');
		expect(one.recovery).toMatchObject({ places: ['convenience-store', 'municipal-office'], convenienceStoreNeeds: 'sign' });
		expect(one.recovery?.ja).toContain('JPKI暗証番号リセット');
		expect(one.recovery?.ja).toContain('署名用電子証明書の暗証番号');
	});

	it('reports a missing signing password (child card) as such', async () => {
		await expect(emulatedSetup({ variant: 'child' }).myna.verifyPin('sign', 'ABC123')).rejects.toMatchObject({
			kind: ErrorKind.FileNotFound,
			details: { reason: 'no-signing-certificate' }
		});
	});

	it('sends no PIN for the 券面事項入力補助AP to a card without it', async () => {
		const { myna, card } = emulatedSetup({ variant: 'juki' });
		await expect(myna.verifyPin('text', '1234')).rejects.toMatchObject({ kind: ErrorKind.NotMynaCard });
		expect(pinCommandsSent(card)).toBe(0);
	});

	it('zeroes the command buffer that carried the PIN once the card has answered', async () => {
		const seen: Uint8Array[] = [];
		const inner = emulatedChannel(createVirtualCard());
		const myna = new MynaCard({ ...inner, transmit: (apdu, options) => (seen.push(apdu), inner.transmit(apdu, options)) });
		await myna.verifyPin('auth', '1234');
		// SELECT AP, SELECT EF, counter read, then the VERIFY: zeroed header and all.
		expect(seen.map((apdu) => apdu.length)).toEqual([15, 7, 4, 9]);
		expect([...seen[3]!]).toEqual(new Array(9).fill(0));
	});
});

describe('PIN change', () => {
	it('changes the auth PIN, the signing password and the card-information PIN', async () => {
		const { myna, card } = emulatedSetup();
		for (const [kind, current, next] of [
			['auth', '1234', '4321'],
			['sign', 'ABC123', 'newpass99'],
			['text', '1234', '5678']
		] as const) {
			expect(await myna.changePin(kind, current, next)).toEqual({ pin: kind, changed: true });
		}
		await expect(myna.verifyPin('auth', '1234')).rejects.toMatchObject({ kind: ErrorKind.PinWrong });
		expect(await myna.verifyPin('auth', '4321')).toMatchObject({ verified: true });
		expect(await myna.verifyPin('sign', 'NEWPASS99')).toMatchObject({ verified: true });
		expect(await myna.verifyPin('text', '5678')).toMatchObject({ verified: true });
		expect(card.log.filter((e) => e.command.startsWith('00 24 01 80'))).toHaveLength(3);
	});

	it('checks both formats first, and a wrong current PIN spends one try and changes nothing', async () => {
		const { myna, card, channel } = emulatedSetup();
		await expect(myna.changePin('auth', '1234', '12')).rejects.toMatchObject({ kind: ErrorKind.PinFormat, details: { which: 'new' } });
		await expect(myna.changePin('auth', '12', '1234')).rejects.toMatchObject({ kind: ErrorKind.PinFormat });
		expect(channel.apdus).toBe(0);
		await expect(myna.changePin('auth', '0000', '4321')).rejects.toMatchObject({ kind: ErrorKind.PinWrong, details: { triesLeft: 2 } });
		expect(card.log.some((e) => e.command.startsWith('00 24'))).toBe(false);
	});

	it('guards the last try of the current PIN too', async () => {
		const { myna, card } = emulatedSetup({ triesLeft: { text: 1 } });
		await expect(myna.changePin('text', '1234', '5678')).rejects.toMatchObject({ kind: ErrorKind.PinLastTry });
		expect(pinCommandsSent(card)).toBe(0);
	});

	it('refuses PINs that cannot be changed', async () => {
		await expect(emulatedSetup().myna.changePin('visual-a' as never, '123456789018', '123456789018')).rejects.toMatchObject({
			kind: ErrorKind.Unsupported
		});
	});
});
