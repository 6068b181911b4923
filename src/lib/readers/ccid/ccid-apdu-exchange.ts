import { concatBytes } from '../../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { CCID_HEADER_LENGTH } from '../../usb/ccid-class-descriptor';
import { CcidChain } from './ccid-message';
import type { CcidTransport } from './ccid-transport';

export interface ApduExchangeOptions {
	timeoutMs: number;
	signal?: AbortSignal;
	/** The APDU as traces show it (same length, secrets masked). */
	traceApdu?: Uint8Array;
}

/** Data + SW of the longest extended response. */
const MAX_RESPONSE_LENGTH = 65_538;
/** Continuation rounds for one response (a reader answering empty parts forever must not hold us). */
const MAX_RESPONSE_PARTS = 2_048;

function tooLong(length: number, max: number): MynaError {
	return new MynaError(ErrorKind.Protocol, 'The command is too long for this card reader.', { length, max });
}

/** Short-APDU level: the APDU goes in one XfrBlock as it is; the reader runs the card protocol. */
export async function exchangeShortApdu(transport: CcidTransport, slot: number, apdu: Uint8Array, options: ApduExchangeOptions): Promise<Uint8Array> {
	const max = transport.descriptor.maxMessageLength - CCID_HEADER_LENGTH;
	if (apdu.length > max) throw tooLong(apdu.length, max);
	const response = await transport.xfrBlock(slot, apdu, xfrOptions(options, options.traceApdu, CcidChain.BeginsAndEnds));
	return response.data;
}

function xfrOptions(options: ApduExchangeOptions, traceData: Uint8Array | undefined, levelParameter: number) {
	const out = { timeoutMs: options.timeoutMs, levelParameter, ...(options.signal ? { signal: options.signal } : {}) };
	return traceData ? { ...out, traceData } : out;
}

/**
 * Extended-APDU level (CCID rev 1.1 §6.1.4; libccid CmdXfrBlockAPDU_extended): a command longer than
 * dwMaxCCIDMessageLength − 10 goes in parts with wLevelParameter 01 (begins), 03 (continues), 02 (ends), each
 * non-final part answered by an empty DataBlock; a response whose bChainParameter is 01, 03 or 10 is
 * continued by an empty XfrBlock with wLevelParameter 0x0010. The APDU bytes are sent unchanged.
 */
export async function exchangeExtendedApdu(transport: CcidTransport, slot: number, apdu: Uint8Array, options: ApduExchangeOptions): Promise<Uint8Array> {
	const max = transport.descriptor.maxMessageLength - CCID_HEADER_LENGTH;
	const trace = (start: number, end: number) => options.traceApdu?.subarray(start, end);
	let response: { data: Uint8Array; chainParameter: number };
	if (apdu.length <= max) {
		response = await transport.xfrBlock(slot, apdu, xfrOptions(options, trace(0, apdu.length), CcidChain.BeginsAndEnds));
	} else {
		let offset = 0;
		let level: number = CcidChain.Begins;
		for (;;) {
			throwIfAborted(options.signal);
			const end = Math.min(offset + max, apdu.length);
			response = await transport.xfrBlock(slot, apdu.subarray(offset, end), xfrOptions(options, trace(offset, end), level));
			offset = end;
			if (level === CcidChain.Ends) break;
			if (response.data.length !== 0) {
				throw new MynaError(ErrorKind.Protocol, 'The card reader answered a command part with data.', { length: response.data.length });
			}
			level = apdu.length - offset > max ? CcidChain.Continues : CcidChain.Ends;
		}
	}
	const parts = [response.data];
	let length = response.data.length;
	for (;;) {
		switch (response.chainParameter) {
			case CcidChain.BeginsAndEnds:
			case CcidChain.Ends:
				return parts.length === 1 ? parts[0]! : concatBytes(...parts);
			case CcidChain.Begins:
			case CcidChain.Continues:
			case CcidChain.Next:
				break;
			default:
				throw new MynaError(ErrorKind.Protocol, 'The card reader sent an unknown bChainParameter.', { chainParameter: response.chainParameter });
		}
		throwIfAborted(options.signal);
		if (parts.length >= MAX_RESPONSE_PARTS) throw new MynaError(ErrorKind.Protocol, 'The card reader sent too many response parts.');
		response = await transport.xfrBlock(slot, new Uint8Array(0), xfrOptions(options, undefined, CcidChain.Next));
		length += response.data.length;
		if (length > MAX_RESPONSE_LENGTH) throw new MynaError(ErrorKind.Protocol, 'The card reader sent a response longer than 65538 bytes.');
		parts.push(response.data);
	}
}
