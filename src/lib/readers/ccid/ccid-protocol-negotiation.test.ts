import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import { parseCcidClassDescriptor, type CcidClassDescriptor } from '../../usb/ccid-class-descriptor';
import { encodeCcidClassDescriptor, libccidReader } from '../../usb/testing/libccid-reader-fixtures';
import { parseAtr } from '../t1/atr';
import { CCID_APDU_TIMEOUT_FLOOR_MS, apduTimeoutMs, planNegotiation, t0ParameterStructure, t1ParameterStructure, t1SettingsFor } from './ccid-protocol-negotiation';
import { powerOnSequence } from './ccid-slot-session';

const reader = (file: string, change: (v: ReturnType<typeof libccidReader>['values']) => void = () => undefined): CcidClassDescriptor => {
	const values = { ...libccidReader(file).values };
	change(values);
	return parseCcidClassDescriptor(encodeCcidClassDescriptor(values));
};
const MYNA = parseAtr(fromHex('3B E0 00 FF 81 31 FE 45 14'));
const MYNA_TA1 = parseAtr(fromHex('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B'));
const T0_ONLY = parseAtr(fromHex('3B 02 14 50'));

describe('planNegotiation (libccid IFDHSetProtocolParameters)', () => {
	it('ACR39U (TPDU, auto PPS, no auto negotiation): T=1, no PPS, SetParameters from the ATR', () => {
		const acr39u = reader('ACS_ACR39U_ICC_Reader');
		const plan = planNegotiation(MYNA, acr39u);
		expect(plan).toEqual({ protocol: 1, fiDi: 0x11, setParameters: true });
		expect(toHex(t1ParameterStructure(MYNA, plan.fiDi), ' ')).toBe('11 10 ff 45 00 fe 00');
		expect(t1SettingsFor(MYNA, plan.fiDi, acr39u)).toMatchObject({ ifsc: 254, ifsd: 247, edc: 'lrc', maxSendInf: 254 });
	});

	it('SCR3310 v2 declares 263 bytes: IFSD and sent INF stay within one message', () => {
		expect(t1SettingsFor(MYNA, 0x11, reader('SCR3310_2'))).toMatchObject({ ifsd: 249, maxSendInf: 249 });
	});

	it('RC-S300 negotiates itself (0x40): no SetParameters', () => {
		expect(planNegotiation(MYNA, reader('SONY_FeliCa_RC-S300_S'))).toEqual({ protocol: 1, fiDi: 0x11, setParameters: false });
	});

	it('a TPDU reader without auto PPS gets PPS with TA1 when it is fast enough', () => {
		const noAutoPps = reader('SCR3310', (v) => (v.features &= ~0x80));
		const plan = planNegotiation(MYNA_TA1, noAutoPps);
		expect(toHex(plan.pps!)).toBe('ff1113fd');
		expect(plan.fiDi).toBe(0x13);
		expect(toHex(t1ParameterStructure(MYNA_TA1, 0x13), ' ')).toBe('13 10 ff 46 00 fb 00');
		const slow = reader('SCR3310', (v) => {
			v.features &= ~0x80;
			v.maxDataRate = 20000;
		});
		expect(planNegotiation(MYNA_TA1, slow)).toEqual({ protocol: 1, fiDi: 0x11, setParameters: true });
		// the reader does PPS itself, but SetParameters still names the TA1 speed
		expect(planNegotiation(MYNA_TA1, reader('SCR3310'))).toEqual({ protocol: 1, fiDi: 0x13, setParameters: true });
	});

	it('asks for T=1 by PPS when the card offers T=0 first', () => {
		const body = [0x80, 0x80, 0x01];
		const atr = parseAtr(Uint8Array.of(0x3b, ...body, body.reduce((x, b) => x ^ b, 0)));
		expect(toHex(planNegotiation(atr, reader('SCR3310', (v) => (v.features &= ~0x80))).pps!)).toBe('ff01fe');
	});

	it('uses T=0 on an APDU-level reader, with the T=0 structure; refuses it on a TPDU reader', () => {
		const icc = reader('ACS_ACR1252_Dual_Reader (ICC/SAM)');
		expect(planNegotiation(T0_ONLY, icc)).toEqual({ protocol: 0, fiDi: 0x11, setParameters: true });
		expect(toHex(t0ParameterStructure(T0_ONLY, 0x11), ' ')).toBe('11 00 00 0a 00');
		expect(() => planNegotiation(T0_ONLY, reader('SCR3310-NTTCom'))).toThrow(expect.objectContaining({ kind: ErrorKind.Unsupported }));
		expect(() => planNegotiation(T0_ONLY, reader('SONY_FeliCa_RC-S300_S'))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('refuses a card in specific mode with implicit parameters', () => {
		const body = [0x90, 0x11, 0x11, 0x11]; // TA1, TD1 (TA2 follows, T=1), TA2 with bit 5: implicit parameters
		const atr = parseAtr(Uint8Array.of(0x3b, ...body, body.reduce((x, b) => x ^ b, 0)));
		expect(() => planNegotiation(atr, reader('SCR3310'))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('goes on without the ATR at APDU level, never at TPDU level', () => {
		expect(planNegotiation(undefined, reader('ACS_ACR1252_Reader'))).toEqual({ protocol: 1, fiDi: 0x11, setParameters: false });
		expect(() => planNegotiation(undefined, reader('SCR3310'))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});

	it('waits at least the APDU floor at APDU level', () => {
		expect(apduTimeoutMs(undefined, { protocol: 1, fiDi: 0x11, setParameters: false }, reader('ACS_ACR1252_Reader'))).toBe(CCID_APDU_TIMEOUT_FLOOR_MS);
		const slowCard = parseAtr(fromHex('3B E0 00 FF 81 31 FE 95 C4'));
		expect(apduTimeoutMs(slowCard, { protocol: 1, fiDi: 0x11, setParameters: false }, reader('ACS_ACR1252_Reader'))).toBeGreaterThan(CCID_APDU_TIMEOUT_FLOOR_MS);
	});
});

describe('powerOnSequence (libccid CmdPowerOn)', () => {
	it('is automatic when the reader selects voltage or activates itself', () => {
		const scr3310 = reader('SCR3310');
		expect(powerOnSequence(scr3310.voltageSupport, scr3310.features)).toEqual([0]);
		const rcs300 = reader('SONY_FeliCa_RC-S300_S');
		expect(powerOnSequence(rcs300.voltageSupport, rcs300.features)).toEqual([0]);
	});

	it('walks 5 V → 3 V → 1.8 V over the supported voltages otherwise', () => {
		const acr39u = reader('ACS_ACR39U_ICC_Reader');
		expect(powerOnSequence(acr39u.voltageSupport, acr39u.features)).toEqual([1, 2, 3]);
		expect(powerOnSequence(0x06, 0)).toEqual([2, 3]);
		expect(powerOnSequence(0x00, 0)).toEqual([1, 2, 3]);
	});
});
