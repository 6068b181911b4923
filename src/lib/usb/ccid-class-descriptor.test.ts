import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorKind, MynaError } from '../errors';
import { CcidExchangeLevel, CcidFeature, hasCcidFeature, parseCcidClassDescriptor, supportsT0, supportsT1 } from './ccid-class-descriptor';
import { LIBCCID_READERS, encodeCcidClassDescriptor, libccidReader } from './testing/libccid-reader-fixtures';

/** facts/readers.md §6.1, column by column. */
const TABLE: Record<string, { level: CcidExchangeLevel; maxMessageLength: number; maxIfsd: number; slots: number; pin: number; t0: boolean; t1: boolean }> = {
	ACS_ACR39U_ICC_Reader: { level: 'tpdu', maxMessageLength: 271, maxIfsd: 247, slots: 1, pin: 0, t0: true, t1: true },
	'ACS_ACR1251_Dual_Reader (PICC)': { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 512, slots: 1, pin: 0, t0: false, t1: true },
	'ACS_ACR1251_Dual_Reader (ICC)': { level: 'short-apdu', maxMessageLength: 288, maxIfsd: 254, slots: 1, pin: 0x03, t0: true, t1: true },
	'ACS_ACR1252_Dual_Reader (PICC)': { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 254, slots: 1, pin: 0, t0: false, t1: true },
	'ACS_ACR1252_Dual_Reader (ICC/SAM)': { level: 'short-apdu', maxMessageLength: 288, maxIfsd: 254, slots: 1, pin: 0, t0: true, t1: true },
	ACS_ACR1252_Reader: { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 254, slots: 1, pin: 0, t0: false, t1: true },
	'ACS_ACR1255U-J1': { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 512, slots: 1, pin: 0, t0: false, t1: true },
	SCR3310: { level: 'tpdu', maxMessageLength: 271, maxIfsd: 252, slots: 1, pin: 0, t0: true, t1: true },
	SCR3310_2: { level: 'tpdu', maxMessageLength: 263, maxIfsd: 252, slots: 1, pin: 0, t0: true, t1: true },
	'SCR3310-NTTCom': { level: 'tpdu', maxMessageLength: 271, maxIfsd: 252, slots: 1, pin: 0, t0: true, t1: true },
	'SCR331-DI-NTTCom': { level: 'tpdu', maxMessageLength: 263, maxIfsd: 252, slots: 2, pin: 0, t0: true, t1: true },
	Identiv_uTrust_3700_F_CL_Reader: { level: 'extended-apdu', maxMessageLength: 1034, maxIfsd: 1024, slots: 1, pin: 0, t0: true, t1: true },
	'SONY_FeliCa_RC-S300_S': { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 254, slots: 1, pin: 0, t0: false, t1: true },
	'SONY_FeliCa_RC-S300_P': { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 254, slots: 1, pin: 0, t0: false, t1: true },
	'SONY_FeliCa_RC-S660_U': { level: 'extended-apdu', maxMessageLength: 522, maxIfsd: 254, slots: 1, pin: 0, t0: false, t1: true }
};

describe('parseCcidClassDescriptor against the readers of facts/readers.md §6.1', () => {
	it.each(LIBCCID_READERS.map((r) => [r.file, r] as const))('%s', (file, reader) => {
		const bytes = encodeCcidClassDescriptor(reader.values);
		expect(bytes).toHaveLength(54);
		const d = parseCcidClassDescriptor(bytes);
		const row = TABLE[file]!;
		expect(d.exchangeLevel).toBe(row.level);
		expect(d.maxMessageLength).toBe(row.maxMessageLength);
		expect(d.maxIfsd).toBe(row.maxIfsd);
		expect(d.slotCount).toBe(row.slots);
		expect(d.pinSupport).toBe(row.pin);
		expect(supportsT0(d)).toBe(row.t0);
		expect(supportsT1(d)).toBe(row.t1);
		// every field read from its own offset
		const { values } = reader;
		expect(d).toMatchObject({
			bcdCcid: values.bcdCcid,
			maxSlotIndex: values.maxSlotIndex,
			voltageSupport: values.voltageSupport,
			protocols: values.protocols,
			defaultClockKhz: values.defaultClockKhz,
			maximumClockKhz: values.maximumClockKhz,
			dataRate: values.dataRate,
			maxDataRate: values.maxDataRate,
			features: values.features,
			mechanical: values.mechanical,
			classGetResponse: values.classGetResponse,
			classEnvelope: values.classEnvelope,
			maxBusySlots: 1
		});
	});

	it('reads the automation bits the driver acts on', () => {
		const parse = (file: string) => parseCcidClassDescriptor(encodeCcidClassDescriptor(libccidReader(file).values));
		const acr39u = parse('ACS_ACR39U_ICC_Reader');
		expect(hasCcidFeature(acr39u, CcidFeature.AutoPps)).toBe(true);
		expect(hasCcidFeature(acr39u, CcidFeature.AutoParameterNegotiation)).toBe(false);
		expect(hasCcidFeature(acr39u, CcidFeature.AutoIfsd)).toBe(false);
		expect(hasCcidFeature(acr39u, CcidFeature.AutoVoltage)).toBe(false);
		const acr1252 = parse('ACS_ACR1252_Reader');
		expect(hasCcidFeature(acr1252, CcidFeature.AutoIfsd)).toBe(true);
		const rcs300 = parse('SONY_FeliCa_RC-S300_S');
		expect(hasCcidFeature(rcs300, CcidFeature.AutoParameterNegotiation)).toBe(true);
		expect(hasCcidFeature(rcs300, CcidFeature.AutoActivation)).toBe(true);
		expect(hasCcidFeature(parse('SCR3310-NTTCom'), CcidFeature.ClockStop)).toBe(true);
	});
});

describe('parseCcidClassDescriptor rejects', () => {
	const good = () => encodeCcidClassDescriptor(libccidReader('SCR3310').values);
	const withFeatures = (features: number) => {
		const b = good();
		new DataView(b.buffer).setUint32(40, features, true);
		return b;
	};
	it.each([
		['53 bytes', () => good().subarray(0, 53)],
		['bLength other than 0x36', () => Object.assign(good(), { 0: 0x35 })],
		['a descriptor type other than 0x21', () => Object.assign(good(), { 1: 0x22 })],
		['two exchange levels at once', () => withFeatures(0x00030000)],
		['an exchange level bit outside the four levels', () => withFeatures(0x00070000)],
		[
			'no T=0 nor T=1',
			() => {
				const b = good();
				new DataView(b.buffer).setUint32(6, 0x04, true);
				return b;
			}
		],
		[
			'a message length below a header',
			() => {
				const b = good();
				new DataView(b.buffer).setUint32(44, 10, true);
				return b;
			}
		]
	])('%s', (_name, bytes) => {
		expect(() => parseCcidClassDescriptor(bytes())).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('any 54 bytes: parsed consistently or rejected with a Protocol error (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 52, maxLength: 52 }), (body) => {
				const bytes = Uint8Array.of(0x36, 0x21, ...body);
				try {
					const d = parseCcidClassDescriptor(bytes);
					const view = new DataView(bytes.buffer);
					expect(d.features).toBe(view.getUint32(40, true));
					expect(d.maxMessageLength).toBe(view.getUint32(44, true));
					expect(d.slotCount).toBe(bytes[4]! + 1);
					expect(Object.values(CcidExchangeLevel)).toContain(d.exchangeLevel);
				} catch (error) {
					expect(error).toBeInstanceOf(MynaError);
					expect((error as MynaError).kind).toBe(ErrorKind.Protocol);
				}
			}),
			{ numRuns: 2000 }
		);
	});
});
