import { ErrorKind, MynaError } from '../errors';
import { ApduStatusError, type ApduStatusContext } from './apdu-status-error';
import { StatusWord } from './status-words';

/** A response APDU split into its data and SW1 SW2 (as one number, e.g. 0x9000). */
export interface ResponseApdu {
	readonly data: Uint8Array;
	readonly sw: number;
}

/** Splits a channel's answer; the data is a copy. Fewer than two bytes means the channel broke the contract. */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
	if (bytes.length < 2) {
		throw new MynaError(ErrorKind.Protocol, 'Response APDU shorter than SW1 SW2', { length: bytes.length });
	}
	const n = bytes.length;
	return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function encodeResponseApdu(response: ResponseApdu): Uint8Array {
	const out = new Uint8Array(response.data.length + 2);
	out.set(response.data);
	out[out.length - 2] = (response.sw >>> 8) & 0xff;
	out[out.length - 1] = response.sw & 0xff;
	return out;
}

/** The data of a 9000 response; any other status word throws an `ApduStatusError`. */
export function checkOk(response: ResponseApdu, context: ApduStatusContext = {}): Uint8Array {
	if (response.sw !== StatusWord.Ok) throw new ApduStatusError(response.sw, context);
	return response.data;
}

/** The response when its status word is one of `accepted` (e.g. 9000 and 6282 for a short last READ BINARY). */
export function checkStatus(response: ResponseApdu, accepted: readonly number[], context: ApduStatusContext = {}): ResponseApdu {
	if (!accepted.includes(response.sw)) throw new ApduStatusError(response.sw, context);
	return response;
}
