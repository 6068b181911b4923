import { describe, expect, it } from 'vitest';
import { MemoryTraceSink, TRACE_MASK, TracingChannel } from '../apdu';
import { createVirtualCard, TEST_PERSONAS } from '../emulator/card';
import { emulatedChannel } from './card-test-channels';
import { MynaCard } from './myna-card';
import { personalDataResponseMask } from './personal-data-mask';

describe('personalDataResponseMask', () => {
	it('keeps the 4 info, the my number, the card face and the signing certificate out of an APDU trace', async () => {
		const card = createVirtualCard();
		card.faults.getResponse(true);
		const sink = new MemoryTraceSink();
		const myna = new MynaCard(new TracingChannel(emulatedChannel(card), sink, { maskResponse: personalDataResponseMask() }));
		await myna.readBasicInfo('1234');
		await myna.readMyNumber('1234');
		await myna.readCertificate('sign', { pin: 'ABC123' });
		await myna.readCardFace({ collation: 'A', value: TEST_PERSONAS.hanako.myNumber }, { parts: ['photo'] });
		const trace = sink.entries.map((e) => e.hex).join('\n');
		const hex = (text: string) => Buffer.from(text).toString('hex').toUpperCase().match(/../g)!.join(' ');
		expect(trace).not.toContain(hex(TEST_PERSONAS.hanako.myNumber).slice(0, 20));
		expect(trace).not.toContain(hex('見本'));
		expect(trace).not.toContain(hex('1234'));
		expect(sink.entries.filter((e) => e.masked && e.direction === 'response').length).toBeGreaterThan(5);
		expect(trace).toContain(TRACE_MASK);
	});

	it('leaves public reads visible (auth certificate, token info)', async () => {
		const sink = new MemoryTraceSink();
		const myna = new MynaCard(new TracingChannel(emulatedChannel(createVirtualCard()), sink, { maskResponse: personalDataResponseMask() }));
		await myna.detect();
		await myna.readCertificate('auth');
		expect(sink.entries.some((e) => e.masked && e.direction === 'response')).toBe(false);
	});
});
