import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../bytes';
import { appendCrcB, hasValidCrcB } from './crc-b';
import { FixedResponseCard } from './fixed-response-card';
import { IsoDepSilence } from './iso-dep-card-engine';
import { TypeBPicc, TypeBPiccState, TypeBSilence, frameSizeFromIndex, frameWaitingTimeMs, type TypeBPiccOptions } from './type-b-picc';

const PUPI = '4d794e61';
const SELECT = fromHex('00a4040c0ad392f000260100000001');

function setup(options: TypeBPiccOptions = {}) {
	const card = new FixedResponseCard([[SELECT, fromHex('9000')]]);
	const picc = new TypeBPicc(card, options);
	picc.fieldOn();
	/** Sends bytes (CRC added) and returns the answer without its CRC, or the silence reason. */
	const send = async (hex: string | Uint8Array): Promise<string> => {
		const reply = await picc.transceive(appendCrcB(typeof hex === 'string' ? fromHex(hex) : hex));
		if (reply.type === 'silent') return `silent: ${reply.reason}`;
		expect(hasValidCrcB(reply.frame)).toBe(true);
		return toHex(reply.frame.subarray(0, reply.frame.length - 2));
	};
	const activate = async (fsdi = 8, cid = 0) => {
		await send('050000');
		return send(`1d${PUPI}00${(fsdi & 0x0f).toString(16).padStart(2, '0')}01${cid.toString(16).padStart(2, '0')}`);
	};
	return { card, picc, send, activate };
}

describe('TypeBPicc: polling', () => {
	it('answers REQB with a 12-byte ATQB: PUPI, application data, FSCI 8 / ISO 14443-4, FWI 8 / CID', async () => {
		const { send, picc } = setup();
		expect(await send('050000')).toBe(`50${PUPI}00000000008181`);
		expect(picc.state).toBe(TypeBPiccState.ready);
	});

	it('sends the extended ATQB (SFGI byte) only when REQB says the reader takes it, unless told otherwise', async () => {
		expect(await setup({ sfgi: 2 }).send('050010')).toBe(`50${PUPI}0000000000818120`);
		expect(await setup({ extendedAtqb: 'never' }).send('050010')).toBe(`50${PUPI}00000000008181`);
		expect(await setup({ extendedAtqb: 'always' }).send('050000')).toBe(`50${PUPI}0000000000818100`);
	});

	it('encodes FSCI and FWI options and CID support in the protocol info', async () => {
		expect(await setup({ fsci: 5, fwi: 14, cidSupported: false }).send('050000')).toBe(`50${PUPI}000000000051e0`);
		expect(frameSizeFromIndex(4)).toBe(48);
		expect(frameSizeFromIndex(5)).toBe(64);
		expect(frameSizeFromIndex(12)).toBe(256);
		expect(frameWaitingTimeMs(8)).toBeCloseTo(77.33, 2);
	});

	it('stays silent without field, with a bad CRC, or for malformed REQB', async () => {
		const card = new FixedResponseCard();
		const picc = new TypeBPicc(card);
		expect(await picc.transceive(appendCrcB(fromHex('050000')))).toEqual({ type: 'silent', reason: TypeBSilence.noField });
		const { send, picc: on } = setup();
		const frame = appendCrcB(fromHex('050000'));
		frame[3]! ^= 1;
		expect(await on.transceive(frame)).toEqual({ type: 'silent', reason: TypeBSilence.badCrc });
		expect(await send('0500')).toBe(`silent: ${TypeBSilence.malformed}`);
		expect(await send('050005')).toBe(`silent: ${TypeBSilence.malformed}`);
	});

	it('answers only the application families it belongs to', async () => {
		expect(await setup().send('051000')).toBe(`silent: ${TypeBSilence.afiMismatch}`);
		const family = (afi: string) => setup({ afi: 0x12 }).send(`05${afi}00`);
		expect((await family('00')).startsWith('50')).toBe(true);
		expect((await family('10')).startsWith('50')).toBe(true);
		expect((await family('12')).startsWith('50')).toBe(true);
		expect(await family('13')).toBe(`silent: ${TypeBSilence.afiMismatch}`);
	});

	it('draws a new PUPI at every power-up when given a generator', async () => {
		let n = 0;
		const { send, picc } = setup({ pupi: () => new Uint8Array([0, 0, 0, ++n]) });
		expect((await send('050000')).slice(2, 10)).toBe('00000002');
		picc.fieldOff();
		picc.fieldOn();
		expect((await send('050000')).slice(2, 10)).toBe('00000003');
	});
});

describe('TypeBPicc: ATTRIB, HLTB, field', () => {
	it('is activated by ATTRIB with its PUPI and answers MBLI/CID', async () => {
		const { picc, activate, send } = setup();
		expect(await activate()).toBe('00');
		expect(picc.state).toBe(TypeBPiccState.active);
		expect(toHex(picc.attribAnswer!)).toBe('00');
		expect(await send(concatBytes(fromHex('02'), SELECT))).toBe('029000');
	});

	it('ignores ATTRIB with another PUPI, before REQB, or asking for a protocol it lacks', async () => {
		const { send, picc } = setup();
		expect(await send(`1d${PUPI}00080100`)).toBe(`silent: ${TypeBSilence.notInState}`);
		await send('050000');
		expect(await send('1d0102030400080100')).toBe(`silent: ${TypeBSilence.otherPupi}`);
		expect(await send(`1d${PUPI}00080000`)).toBe(`silent: ${TypeBSilence.unsupportedParameter}`);
		expect(await send(`1d${PUPI}00880100`)).toBe(`silent: ${TypeBSilence.unsupportedParameter}`);
		expect(picc.state).toBe(TypeBPiccState.ready);
	});

	it('takes the CID from ATTRIB and from then on wants it in every block', async () => {
		const { activate, send } = setup();
		expect(await activate(8, 3)).toBe('03');
		expect(await send(concatBytes(fromHex('02'), SELECT))).toBe(`silent: ${IsoDepSilence.cidMissing}`);
		expect(await send(concatBytes(fromHex('0a03'), SELECT))).toBe('0a039000');
	});

	it('honours FSD from ATTRIB (FSDI 4 → 48-byte frames)', async () => {
		const answer = Uint8Array.from({ length: 100 }, (_, i) => i);
		const card = new FixedResponseCard([[SELECT, answer]]);
		const picc = new TypeBPicc(card);
		picc.fieldOn();
		await picc.transceive(appendCrcB(fromHex('050000')));
		await picc.transceive(appendCrcB(fromHex(`1d${PUPI}00040100`)));
		const reply = await picc.transceive(appendCrcB(concatBytes(fromHex('02'), SELECT)));
		expect(reply.type === 'frame' && reply.frame.length).toBe(48);
	});

	it('ignores REQB once ACTIVE and goes to HALT on HLTB; only WUPB wakes it', async () => {
		const { activate, send, picc } = setup();
		await activate();
		expect(await send('050000')).toBe(`silent: ${IsoDepSilence.invalidBlock}`);
		expect(await send(`50${PUPI}`)).toBe('00');
		expect(picc.state).toBe(TypeBPiccState.halt);
		expect(await send('050000')).toBe(`silent: ${TypeBSilence.notInState}`);
		expect((await send('050008')).startsWith('50')).toBe(true);
	});

	it('goes to HALT on S(DESELECT)', async () => {
		const { activate, send, picc } = setup();
		await activate();
		expect(await send('c2')).toBe('c2');
		expect(picc.state).toBe(TypeBPiccState.halt);
		expect(await send(concatBytes(fromHex('02'), SELECT))).toBe(`silent: ${TypeBSilence.unknownCommand}`);
	});

	it('loses everything and resets the card when the field goes off', async () => {
		const { activate, send, picc, card } = setup();
		await activate();
		picc.fieldOff();
		expect(card.resets).toBe(1);
		expect(picc.state).toBe(TypeBPiccState.powerOff);
		picc.fieldOn();
		expect(await send(concatBytes(fromHex('02'), SELECT))).toBe(`silent: ${TypeBSilence.unknownCommand}`);
		expect(await activate()).toBe('00');
	});

	it('sends a wrong CRC when told to, once', async () => {
		const { picc, send } = setup();
		picc.corruptNextCrc();
		const bad = await picc.transceive(appendCrcB(fromHex('050000')));
		expect(bad.type === 'frame' && hasValidCrcB(bad.frame)).toBe(false);
		expect((await send('050000')).startsWith('50')).toBe(true);
	});

	it('keeps a WTX request made before activation for the first answer', async () => {
		const { picc, activate, send } = setup();
		picc.requestWtx(1, 7);
		await activate();
		expect(await send(concatBytes(fromHex('02'), SELECT))).toBe('f207');
		expect(await send('f207')).toBe('029000');
	});

	it('answers any frame with a CRC-valid frame or a typed silence, never a throw', async () => {
		const reasons = [...Object.values(TypeBSilence), ...Object.values(IsoDepSilence)] as string[];
		await fc.assert(
			fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 40 })), { maxLength: 10 }), async (frames) => {
				const { picc } = setup();
				for (const [withCrc, bytes] of frames) {
					const reply = await picc.transceive(withCrc ? appendCrcB(bytes) : bytes);
					if (reply.type === 'silent') expect(reasons).toContain(reply.reason);
					else expect(hasValidCrcB(reply.frame)).toBe(true);
				}
			}),
			{ numRuns: 300 }
		);
	});
});
