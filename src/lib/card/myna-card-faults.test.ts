import { describe, expect, it } from 'vitest';
import type { CardChannel } from '../apdu';
import { ErrorKind } from '../errors';
import { createVirtualCard, TEST_PERSONAS } from '../emulator/card';
import { CountingChannel, emulatedChannel, RemovalChannel } from './card-test-channels';
import { sha } from './card-test-setup';
import { ExtendedLengthUse } from './card-session';
import { MynaCard } from './myna-card';

const digest = await sha('SHA-256', new TextEncoder().encode('removal'));

/** Every flow of the layer, each on a fresh card. */
const flows: Record<string, (myna: MynaCard, signal?: AbortSignal) => Promise<unknown>> = {
	detect: (m, signal) => m.detect({ signal }),
	'read auth certificate': (m, signal) => m.readCertificate('auth', { signal }),
	'read sign certificate': (m, signal) => m.readCertificate('sign', { pin: 'ABC123', signal }),
	'pin statuses': (m, signal) => m.pinStatuses({ signal }),
	'change pin': (m, signal) => m.changePin('auth', '1234', '4321', { signal }),
	sign: (m, signal) => m.sign('sign', digest, 'SHA-256', { pin: 'ABC123', signal }),
	'read 4 info': (m, signal) => m.readBasicInfo('1234', { signal }),
	'read my number': (m, signal) => m.readMyNumber('1234', { signal }),
	'read card face': (m, signal) => m.readCardFace({ collation: 'A', value: TEST_PERSONAS.hanako.myNumber }, { signal })
};

async function apduCount(flow: (myna: MynaCard) => Promise<unknown>, extendedLength: boolean): Promise<number> {
	const channel = new CountingChannel(emulatedChannel(createVirtualCard({ extendedLength }), { extendedLength }));
	await flow(new MynaCard(channel));
	return channel.apdus;
}

describe('card removed mid-operation', () => {
	for (const extendedLength of [false, true]) {
		for (const [name, flow] of Object.entries(flows)) {
			it(`${name} (${extendedLength ? 'extended' : 'short'}): CardRemoved at every APDU, no result, then a clean restart`, async () => {
				const total = await apduCount(flow, extendedLength);
				for (let removeAt = 1; removeAt <= total; removeAt++) {
					const card = createVirtualCard({ extendedLength });
					const channel = new RemovalChannel(emulatedChannel(card, { extendedLength }), removeAt);
					const myna = new MynaCard(channel);
					let result: unknown = 'none';
					await expect(flow(myna).then((r) => (result = r))).rejects.toMatchObject({ kind: ErrorKind.CardRemoved });
					expect(result).toBe('none');
					expect(myna.extendedLength).not.toBe(ExtendedLengthUse.Works);
					card.reset();
					channel.reinsert();
					await expect(flow(myna)).resolves.toBeDefined();
				}
			});
		}
	}
});

describe('cancellation', () => {
	it('an aborted signal stops every flow before its first APDU', async () => {
		for (const flow of Object.values(flows)) {
			const channel = new CountingChannel(emulatedChannel(createVirtualCard()));
			await expect(flow(new MynaCard(channel), AbortSignal.abort())).rejects.toMatchObject({ kind: ErrorKind.Aborted });
			expect(channel.apdus).toBe(0);
		}
	});

	it('an abort mid-read gives Aborted and no half result, and the next call starts from a fresh selection', async () => {
		const controller = new AbortController();
		const inner = emulatedChannel(createVirtualCard());
		let sent = 0;
		const channel: CardChannel = {
			transmit: async (apdu, options) => {
				const response = await inner.transmit(apdu, options);
				if (++sent === 4) controller.abort();
				return response;
			}
		};
		const counting = new CountingChannel(channel);
		const myna = new MynaCard(counting);
		await expect(myna.readCertificate('auth', { signal: controller.signal })).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(counting.apdus).toBe(4);
		counting.clear();
		await myna.readCertificate('auth');
		expect(counting.commands[0]).toBe('00A4040C0AD392F000260100000001');
	});
});

describe('one operation at a time', () => {
	it('queues concurrent calls so their APDUs never interleave', async () => {
		const channel = new CountingChannel(emulatedChannel(createVirtualCard()));
		const myna = new MynaCard(channel);
		const [certificate, status] = await Promise.all([myna.readCertificate('auth'), myna.pinStatus('sign'), myna.detect()]);
		expect(certificate.der.length).toBeGreaterThan(1000);
		expect(status.triesLeft).toBe(5);
		const firstCounter = channel.commands.indexOf('00200080');
		const lastRead = channel.commands.lastIndexOf('00B004003C');
		expect(lastRead).toBeLessThan(firstCounter);
		expect(channel.commands.slice(firstCounter - 1, firstCounter + 1)).toEqual(['00A4020C02001B', '00200080']);
	});

	it('a failing call does not block the queue', async () => {
		const myna = new MynaCard(emulatedChannel(createVirtualCard()));
		const failing = myna.verifyPin('auth', '12');
		const next = myna.pinStatus('auth');
		await expect(failing).rejects.toMatchObject({ kind: ErrorKind.PinFormat });
		await expect(next).resolves.toMatchObject({ triesLeft: 3 });
	});
});
