import { describe, expect, it } from 'vitest';
import { createVirtualCard, TEST_PERSONAS } from '../emulator/card';
import { ErrorKind } from '../errors';
import { CardService } from './card-service';
import { emulatedChannel } from './card-test-channels';
import { sha } from './card-test-setup';

describe('CardService (the worker surface)', () => {
	it('returns plain Result data that survives structured cloning', async () => {
		const service = new CardService();
		service.attach(emulatedChannel(createVirtualCard()));
		const results = [
			await service.detect(),
			await service.readCertificate('auth'),
			await service.pinStatuses(),
			await service.sign('sign', await sha('SHA-256', Uint8Array.of(1)), 'SHA-256', { pin: 'ABC123' }),
			await service.readBasicInfo('1234', { fields: ['name'] }),
			await service.isAtLeast('1234', 18, new Date('2026-01-01T00:00:00Z')),
			await service.readCardFace({ collation: 'A', value: TEST_PERSONAS.hanako.myNumber }, { parts: ['photo'] })
		];
		for (const result of results) {
			expect(result.ok).toBe(true);
			expect(structuredClone(result)).toEqual(result);
		}
		expect(results[4]).toEqual({ ok: true, info: { name: TEST_PERSONAS.hanako.name } });
		expect(results[5]).toEqual({ ok: true, atLeast: true });
	});

	it('turns failures into { kind, message, details } without the PIN', async () => {
		const service = new CardService();
		expect(await service.detect()).toMatchObject({ ok: false, error: { kind: ErrorKind.CardAbsent } });
		service.attach(emulatedChannel(createVirtualCard()));
		const wrong = await service.verifyPin('auth', '9876');
		expect(wrong).toMatchObject({ ok: false, error: { kind: ErrorKind.PinWrong, details: { triesLeft: 2 } } });
		expect(JSON.stringify(wrong)).not.toContain('9876');
	});

	it('cancels an operation by id, and detach aborts what runs and forgets the card', async () => {
		const card = createVirtualCard();
		card.faults.delayNext(20, 5);
		const service = new CardService();
		service.attach(emulatedChannel(card));
		const running = service.readCertificate('auth', { operationId: 'op-1' });
		service.cancel('op-1');
		expect(await running).toMatchObject({ ok: false, error: { kind: ErrorKind.Aborted } });
		const second = service.readCertificate('auth');
		service.detach();
		expect(await second).toMatchObject({ ok: false });
		expect(await service.pinStatus('auth')).toMatchObject({ ok: false, error: { kind: ErrorKind.CardAbsent } });
	});
});
