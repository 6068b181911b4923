import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalBytes, fromHex, toHex } from '../bytes';
import { ErrorKind, isMynaError, MynaError } from '../errors';
import {
	ApduCase,
	ApduForm,
	commandApduCase,
	commandApduForm,
	decodeCommandApdu,
	encodeCommandApdu,
	parseCommandApdu,
	type CommandApdu
} from './command-apdu';

const hex = (bytes: Uint8Array) => toHex(bytes, ' ').toUpperCase();
const filled = (length: number, value = 0xab) => new Uint8Array(length).fill(value);
const JPKI_AID = fromHex('D3 92 F0 00 26 01 00 00 00 01');

function expectMalformed(work: () => unknown, field?: string): void {
	try {
		work();
	} catch (error) {
		expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
		if (field !== undefined) expect((error as MynaError).details.field).toBe(field);
		return;
	}
	throw new Error('expected a Malformed error');
}

describe('encodeCommandApdu: exact bytes', () => {
	it('sends the empty VERIFY as exactly four bytes, whatever form or empty data is given', () => {
		const verify = { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 };
		expect(hex(encodeCommandApdu(verify))).toBe('00 20 00 80');
		expect(hex(encodeCommandApdu({ ...verify, data: new Uint8Array(0) }))).toBe('00 20 00 80');
		expect(hex(encodeCommandApdu(verify, { form: ApduForm.Extended }))).toBe('00 20 00 80');
		expect(commandApduCase(verify)).toBe(ApduCase.NoData);
	});

	it('encodes case 2 short, with Le 256 as 00', () => {
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }))).toBe('00 B0 00 00 00');
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0x01, p2: 0x00, le: 17 }))).toBe('00 B0 01 00 11');
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xb2, p1: 0x01, p2: 0x0c, le: 256 }))).toBe('00 B2 01 0C 00');
	});

	it('encodes case 3 short: SELECT of the JPKI-AP and of an EF', () => {
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID }))).toBe(
			'00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01'
		);
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('0018') }))).toBe('00 A4 02 0C 02 00 18');
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: fromHex('31323334') }))).toBe('00 20 00 80 04 31 32 33 34');
	});

	it('encodes case 4 short: the JPKI sign command with Le 00', () => {
		const digestInfo = filled(51, 0x5a);
		const bytes = encodeCommandApdu({ cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 });
		expect(bytes.length).toBe(4 + 1 + 51 + 1);
		expect(hex(bytes.subarray(0, 5))).toBe('80 2A 00 80 33');
		expect(bytes.subarray(5, 56)).toEqual(digestInfo);
		expect(bytes[56]).toBe(0x00);
	});

	it('encodes the short limits: Lc 255 and Le 256 stay short', () => {
		const bytes = encodeCommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: filled(255), le: 256 });
		expect(bytes.length).toBe(4 + 1 + 255 + 1);
		expect(bytes[4]).toBe(0xff);
		expect(bytes[260]).toBe(0x00);
	});

	it('switches to case 2 extended only when Le does not fit, with 65536 as 00 00', () => {
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 257 }))).toBe('00 B0 00 00 00 01 01');
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65_536 }))).toBe('00 B0 00 00 00 00 00');
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }, { form: ApduForm.Extended }))).toBe(
			'00 B0 00 00 00 01 00'
		);
	});

	it('encodes case 3 extended: Lc as 00 hi lo', () => {
		const bytes = encodeCommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: filled(256) });
		expect(hex(bytes.subarray(0, 7))).toBe('00 D6 00 00 00 01 00');
		expect(bytes.length).toBe(7 + 256);
		const forced = encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0018') }, { form: ApduForm.Extended });
		expect(hex(forced)).toBe('00 A4 02 0C 00 00 02 00 18');
	});

	it('encodes case 4 extended: Lc as 00 hi lo, Le as two bytes', () => {
		const bytes = encodeCommandApdu({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: filled(300), le: 65_536 });
		expect(hex(bytes.subarray(0, 7))).toBe('80 2A 00 80 00 01 2C');
		expect(hex(bytes.subarray(bytes.length - 2))).toBe('00 00');
		expect(bytes.length).toBe(7 + 300 + 2);
		const small = encodeCommandApdu({ cla: 0, ins: 0x2a, p1: 0, p2: 0, data: fromHex('01'), le: 256 }, { form: ApduForm.Extended });
		expect(hex(small)).toBe('00 2A 00 00 00 00 01 01 01 00');
		expect(hex(encodeCommandApdu({ cla: 0, ins: 0x2a, p1: 0, p2: 0, data: fromHex('01'), le: 257 }))).toBe(
			'00 2A 00 00 00 00 01 01 01 01'
		);
	});

	it('copies the data rather than aliasing it', () => {
		const data = fromHex('0018');
		const bytes = encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data });
		data.fill(0);
		expect(hex(bytes)).toBe('00 A4 02 0C 02 00 18');
	});
});

describe('encodeCommandApdu: validation', () => {
	const base = { cla: 0, ins: 0xb0, p1: 0, p2: 0 };

	it.each([
		['cla', { ...base, cla: 0x100 }],
		['cla', { ...base, cla: -1 }],
		['ins', { ...base, ins: 1.5 }],
		['p1', { ...base, p1: Number.NaN }],
		['p2', { ...base, p2: 256 }],
		['le', { ...base, le: 0 }],
		['le', { ...base, le: 65_537 }],
		['le', { ...base, le: 2.5 }],
		['le', { ...base, le: -1 }],
		['data', { ...base, data: new Uint8Array(65_536) }]
	] as const)('rejects a bad %s with a Malformed error naming the field', (field, command: CommandApdu) => {
		expectMalformed(() => encodeCommandApdu(command), field);
	});

	it('refuses a forced short form that cannot hold the command instead of truncating', () => {
		expectMalformed(() => encodeCommandApdu({ ...base, le: 257 }, { form: ApduForm.Short }), 'le');
		expectMalformed(() => encodeCommandApdu({ ...base, data: new Uint8Array(256) }, { form: ApduForm.Short }), 'data');
	});

	it('reports the form it would choose', () => {
		expect(commandApduForm({ ...base, le: 256 })).toBe(ApduForm.Short);
		expect(commandApduForm({ ...base, le: 257 })).toBe(ApduForm.Extended);
		expect(commandApduForm({ ...base, data: new Uint8Array(256) })).toBe(ApduForm.Extended);
		expect(commandApduForm({ ...base, le: 1 }, { form: ApduForm.Extended })).toBe(ApduForm.Extended);
	});
});

describe('parseCommandApdu', () => {
	it.each([
		['00 20 00 80', { cla: 0, ins: 0x20, p1: 0, p2: 0x80 }, ApduForm.Short, ApduCase.NoData],
		['00 B0 00 00 00', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }, ApduForm.Short, ApduCase.ExpectsData],
		['00 A4 02 0C 02 00 18', { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0018') }, ApduForm.Short, ApduCase.SendsData],
		[
			'80 2A 00 80 01 AA 00',
			{ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: fromHex('AA'), le: 256 },
			ApduForm.Short,
			ApduCase.SendsAndExpectsData
		],
		['00 B0 00 00 00 00 00', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65_536 }, ApduForm.Extended, ApduCase.ExpectsData],
		[
			'00 A4 02 0C 00 00 02 00 18',
			{ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0018') },
			ApduForm.Extended,
			ApduCase.SendsData
		],
		[
			'00 2A 00 00 00 00 01 01 01 00',
			{ cla: 0, ins: 0x2a, p1: 0, p2: 0, data: fromHex('01'), le: 256 },
			ApduForm.Extended,
			ApduCase.SendsAndExpectsData
		]
	] as const)('decodes %s', (text, command, form, apduCase) => {
		const parsed = parseCommandApdu(fromHex(text));
		expect(parsed.command).toStrictEqual(command);
		expect(parsed.form).toBe(form);
		expect(parsed.apduCase).toBe(apduCase);
		expect(decodeCommandApdu(fromHex(text))).toStrictEqual(command);
	});

	it.each([
		['shorter than a header', '00 A4 04'],
		['zero then one byte (neither short nor extended)', '00 20 00 80 00 01'],
		['short Lc larger than the data', '00 A4 04 0C 0A D3 92'],
		['short Lc with two trailing bytes', '00 A4 02 0C 02 00 18 00 00'],
		['extended Lc of zero', '00 D6 00 00 00 00 00 00'],
		['extended Lc larger than the data', '00 D6 00 00 00 01 00 AA'],
		['extended case 4 with a one-byte Le', '00 2A 00 00 00 00 01 01 00']
	])('rejects %s as Malformed', (_name, text) => {
		expectMalformed(() => parseCommandApdu(fromHex(text)));
	});

	it('returns data that does not alias the input', () => {
		const bytes = fromHex('00 A4 02 0C 02 00 18');
		const { command } = parseCommandApdu(bytes);
		bytes.fill(0);
		expect(hex(command.data!)).toBe('00 18');
	});
});

const byte = fc.integer({ min: 0, max: 255 });
const largeData = fc
	.tuple(fc.integer({ min: 256, max: 65_535 }), byte)
	.map(([length, value]) => new Uint8Array(length).fill(value));
const dataArbitrary = fc.oneof(
	{ weight: 2, arbitrary: fc.constant(undefined) },
	{ weight: 5, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }) },
	{ weight: 1, arbitrary: largeData }
);
const leArbitrary = fc.oneof(
	fc.constant(undefined),
	fc.integer({ min: 1, max: 256 }),
	fc.integer({ min: 1, max: 65_536 }),
	fc.constantFrom(1, 255, 256, 257, 65_535, 65_536)
);
const commandArbitrary: fc.Arbitrary<CommandApdu> = fc
	.record({ cla: byte, ins: byte, p1: byte, p2: byte, data: dataArbitrary, le: leArbitrary })
	.map(({ data, le, ...header }) => ({ ...header, ...(data ? { data } : {}), ...(le !== undefined ? { le } : {}) }));
const formArbitrary = fc.constantFrom(undefined, ApduForm.Short, ApduForm.Extended);

function fitsShort(command: CommandApdu): boolean {
	return (command.data?.length ?? 0) <= 255 && (command.le ?? 0) <= 256;
}

describe('command APDU properties', () => {
	it('decodes what it encodes, in the form it chose', () => {
		fc.assert(
			fc.property(commandArbitrary, formArbitrary, (command, form) => {
				fc.pre(form !== ApduForm.Short || fitsShort(command));
				const bytes = encodeCommandApdu(command, { form });
				const parsed = parseCommandApdu(bytes);
				const { data, ...fields } = parsed.command;
				const { data: expectedData, ...expectedFields } = command;
				expect(fields).toStrictEqual(expectedFields);
				expect(data === undefined ? undefined : equalBytes(data, expectedData ?? new Uint8Array(0))).toBe(
					expectedData === undefined ? undefined : true
				);
				expect(parsed.apduCase).toBe(commandApduCase(command));
				if (parsed.apduCase !== ApduCase.NoData) expect(parsed.form).toBe(commandApduForm(command, { form }));
				else expect(bytes.length).toBe(4);
			}),
			{ numRuns: 400 }
		);
	});

	it('prefers the short form whenever it fits', () => {
		fc.assert(
			fc.property(commandArbitrary, (command) => {
				const expected = fitsShort(command) ? ApduForm.Short : ApduForm.Extended;
				expect(commandApduForm(command)).toBe(expected);
			})
		);
	});

	it('accepts only canonical byte strings: anything it decodes re-encodes to the same bytes, the rest is Malformed', () => {
		const mutated = fc
			.tuple(
				commandArbitrary.filter((c) => (c.data?.length ?? 0) < 400),
				formArbitrary,
				fc.nat(),
				byte,
				fc.constantFrom('flip', 'cut', 'append', 'none')
			)
			.filter(([command, form]) => form !== ApduForm.Short || fitsShort(command))
			.map(([command, form, at, value, how]) => {
				const bytes = encodeCommandApdu(command, { form });
				const i = at % bytes.length;
				if (how === 'flip') bytes[i] = value;
				if (how === 'cut') return bytes.subarray(0, i);
				if (how === 'append') return Uint8Array.of(...bytes, value);
				return bytes;
			});
		fc.assert(
			fc.property(fc.oneof(fc.uint8Array({ maxLength: 24 }), mutated), (bytes) => {
				let parsed;
				try {
					parsed = parseCommandApdu(bytes);
				} catch (error) {
					expect(isMynaError(error, ErrorKind.Malformed)).toBe(true);
					return;
				}
				expect(encodeCommandApdu(parsed.command, { form: parsed.form })).toEqual(bytes);
			}),
			{ numRuns: 1000 }
		);
	});
});
