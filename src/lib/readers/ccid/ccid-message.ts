import { readUint32LE, writeUint32LE } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { CCID_HEADER_LENGTH } from '../../usb/ccid-class-descriptor';

/** Bulk-OUT message types (CCID rev 1.1 §6.1; LudovicRousseau/CCID:src/ccid.h). */
export const CcidCommand = {
	SetParameters: 0x61,
	IccPowerOn: 0x62,
	IccPowerOff: 0x63,
	GetSlotStatus: 0x65,
	Secure: 0x69,
	T0Apdu: 0x6a,
	Escape: 0x6b,
	GetParameters: 0x6c,
	ResetParameters: 0x6d,
	IccClock: 0x6e,
	XfrBlock: 0x6f,
	Mechanical: 0x71,
	Abort: 0x72,
	SetDataRateAndClockFrequency: 0x73
} as const;

/** Bulk-IN message types (CCID rev 1.1 §6.2). */
export const CcidResponseType = {
	DataBlock: 0x80,
	SlotStatus: 0x81,
	Parameters: 0x82,
	Escape: 0x83,
	DataRateAndClockFrequency: 0x84
} as const;

/** Interrupt-IN message types (CCID rev 1.1 §6.3). */
export const CcidInterruptType = { NotifySlotChange: 0x50, HardwareError: 0x51 } as const;

/** The response type each command is answered with. */
export const CCID_RESPONSE_TYPE: Readonly<Record<number, number>> = {
	[CcidCommand.SetParameters]: CcidResponseType.Parameters,
	[CcidCommand.GetParameters]: CcidResponseType.Parameters,
	[CcidCommand.ResetParameters]: CcidResponseType.Parameters,
	[CcidCommand.IccPowerOn]: CcidResponseType.DataBlock,
	[CcidCommand.XfrBlock]: CcidResponseType.DataBlock,
	[CcidCommand.Secure]: CcidResponseType.DataBlock,
	[CcidCommand.IccPowerOff]: CcidResponseType.SlotStatus,
	[CcidCommand.GetSlotStatus]: CcidResponseType.SlotStatus,
	[CcidCommand.IccClock]: CcidResponseType.SlotStatus,
	[CcidCommand.T0Apdu]: CcidResponseType.SlotStatus,
	[CcidCommand.Mechanical]: CcidResponseType.SlotStatus,
	[CcidCommand.Abort]: CcidResponseType.SlotStatus,
	[CcidCommand.Escape]: CcidResponseType.Escape,
	[CcidCommand.SetDataRateAndClockFrequency]: CcidResponseType.DataRateAndClockFrequency
};

/** bPowerSelect of PC_to_RDR_IccPowerOn. */
export const CcidPowerSelect = { Automatic: 0x00, V5: 0x01, V3: 0x02, V1_8: 0x03 } as const;
export type CcidPowerSelect = (typeof CcidPowerSelect)[keyof typeof CcidPowerSelect];

/** wLevelParameter / bChainParameter for extended APDU exchanges (CCID rev 1.1 §6.1.4). */
export const CcidChain = {
	BeginsAndEnds: 0x00,
	Begins: 0x01,
	Ends: 0x02,
	Continues: 0x03,
	/** Empty abData: "send me the next part". */
	Next: 0x10
} as const;

/** bmICCStatus, bits 0–1 of bStatus. */
export const CcidIccStatus = { Active: 0, Inactive: 1, Absent: 2 } as const;
export type CcidIccStatus = (typeof CcidIccStatus)[keyof typeof CcidIccStatus];

/** bmCommandStatus, bits 6–7 of bStatus. */
export const CcidCommandStatus = { Processed: 0, Failed: 1, TimeExtension: 2 } as const;

export interface CcidRequest {
	type: number;
	slot: number;
	seq: number;
	/** Bytes 7–9, message-specific. */
	params?: readonly [number, number, number];
	data?: Uint8Array;
}

export interface CcidResponse {
	type: number;
	slot: number;
	seq: number;
	/** The raw bStatus byte. */
	status: number;
	iccStatus: number;
	commandStatus: number;
	error: number;
	/** Byte 9: bChainParameter (DataBlock), bClockStatus (SlotStatus), bProtocolNum (Parameters). */
	parameter: number;
	data: Uint8Array;
}

function checkByte(name: string, value: number): void {
	if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${name} must be a byte`);
}

export function encodeCcidRequest(request: CcidRequest): Uint8Array<ArrayBuffer> {
	checkByte('type', request.type);
	checkByte('slot', request.slot);
	checkByte('seq', request.seq);
	const data = request.data ?? new Uint8Array(0);
	const params = request.params ?? [0, 0, 0];
	for (const p of params) checkByte('parameter', p);
	const out = new Uint8Array(CCID_HEADER_LENGTH + data.length);
	out[0] = request.type;
	writeUint32LE(out, 1, data.length);
	out[5] = request.slot;
	out[6] = request.seq;
	out[7] = params[0];
	out[8] = params[1];
	out[9] = params[2];
	out.set(data, CCID_HEADER_LENGTH);
	return out;
}

/** PC_to_RDR_IccPowerOn: byte 7 bPowerSelect. */
export function iccPowerOnRequest(slot: number, seq: number, powerSelect: CcidPowerSelect): CcidRequest {
	return { type: CcidCommand.IccPowerOn, slot, seq, params: [powerSelect, 0, 0] };
}

export function iccPowerOffRequest(slot: number, seq: number): CcidRequest {
	return { type: CcidCommand.IccPowerOff, slot, seq };
}

export function getSlotStatusRequest(slot: number, seq: number): CcidRequest {
	return { type: CcidCommand.GetSlotStatus, slot, seq };
}

/** PC_to_RDR_XfrBlock: byte 7 bBWI, bytes 8–9 wLevelParameter (LE). */
export function xfrBlockRequest(slot: number, seq: number, data: Uint8Array, options: { bwi?: number; levelParameter?: number } = {}): CcidRequest {
	const level = options.levelParameter ?? 0;
	if (!Number.isInteger(level) || level < 0 || level > 0xffff) throw new RangeError('wLevelParameter must be 16 bits');
	return { type: CcidCommand.XfrBlock, slot, seq, params: [options.bwi ?? 0, level & 0xff, level >> 8], data };
}

/** PC_to_RDR_SetParameters: byte 7 bProtocolNum, abData the protocol data structure. */
export function setParametersRequest(slot: number, seq: number, protocol: 0 | 1, data: Uint8Array): CcidRequest {
	return { type: CcidCommand.SetParameters, slot, seq, params: [protocol, 0, 0], data };
}

export function escapeRequest(slot: number, seq: number, data: Uint8Array): CcidRequest {
	return { type: CcidCommand.Escape, slot, seq, data };
}

function malformed(message: string, details: Record<string, number>): MynaError {
	return new MynaError(ErrorKind.Protocol, `Malformed CCID message: ${message}.`, details);
}

const RESPONSE_TYPES: ReadonlySet<number> = new Set(Object.values(CcidResponseType));

/**
 * Parses one RDR_to_PC message. Strict: a known response type, a whole header, and dwLength equal to the
 * bytes after it (libccid CCID_Receive rejects any difference as a communication error).
 */
export function parseCcidResponse(bytes: Uint8Array): CcidResponse {
	if (bytes.length < CCID_HEADER_LENGTH) throw malformed('shorter than its header', { length: bytes.length });
	const type = bytes[0]!;
	if (!RESPONSE_TYPES.has(type)) throw malformed('unknown message type', { type });
	const length = readUint32LE(bytes, 1);
	if (length !== bytes.length - CCID_HEADER_LENGTH) throw malformed('dwLength does not match', { dwLength: length, received: bytes.length });
	const status = bytes[7]!;
	return {
		type,
		slot: bytes[5]!,
		seq: bytes[6]!,
		status,
		iccStatus: status & 0x03,
		commandStatus: status >> 6,
		error: bytes[8]!,
		parameter: bytes[9]!,
		data: bytes.slice(CCID_HEADER_LENGTH)
	};
}

/** The reader side of the codec (for emulated readers and tests). */
export function encodeCcidResponse(response: Omit<CcidResponse, 'iccStatus' | 'commandStatus'>): Uint8Array<ArrayBuffer> {
	const out = encodeCcidRequest({
		type: response.type,
		slot: response.slot,
		seq: response.seq,
		params: [response.status, response.error, response.parameter],
		data: response.data
	});
	return out;
}

export interface CcidSlotChange {
	slot: number;
	present: boolean;
	changed: boolean;
}

export type CcidInterrupt =
	| { type: 'slot-change'; slots: CcidSlotChange[] }
	| { type: 'hardware-error'; slot: number; seq: number; code: number };

/**
 * Parses an interrupt-IN message. NotifySlotChange carries 2 bits per slot, 4 slots per byte, bit 0 = present,
 * bit 1 = changed (CCID rev 1.1 §6.3.1; LudovicRousseau/CCID:src/ccid_usb.c); only `slotCount` slots are read.
 */
export function parseCcidInterrupt(bytes: Uint8Array, slotCount: number): CcidInterrupt {
	if (!Number.isInteger(slotCount) || slotCount < 1 || slotCount > 256) throw new RangeError('slotCount must be 1..256');
	if (bytes.length < 1) throw malformed('empty interrupt message', { length: 0 });
	if (bytes[0] === CcidInterruptType.NotifySlotChange) {
		const needed = 1 + Math.ceil(slotCount / 4);
		if (bytes.length < needed) throw malformed('NotifySlotChange too short', { length: bytes.length, needed });
		const slots: CcidSlotChange[] = [];
		for (let slot = 0; slot < slotCount; slot++) {
			const bits = (bytes[1 + (slot >> 2)]! >> ((slot & 3) * 2)) & 0x03;
			slots.push({ slot, present: (bits & 1) !== 0, changed: (bits & 2) !== 0 });
		}
		return { type: 'slot-change', slots };
	}
	if (bytes[0] === CcidInterruptType.HardwareError) {
		if (bytes.length < 4) throw malformed('HardwareError too short', { length: bytes.length });
		return { type: 'hardware-error', slot: bytes[1]!, seq: bytes[2]!, code: bytes[3]! };
	}
	throw malformed('unknown interrupt message', { type: bytes[0]! });
}
