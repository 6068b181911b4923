import { concatBytes, wipe } from '../bytes';
import { ErrorKind, MynaError, throwIfAborted } from '../errors';
import type { CardChannel } from './channel';
import { ApduForm, commandApduForm, encodeCommandApdu, type CommandApdu } from './command-apdu';
import { carriesSecret, Instruction } from './instructions';
import { checkOk, parseResponseApdu, type ResponseApdu } from './response-apdu';
import { formatStatusWord, StatusWord1, statusWordCount } from './status-words';

export const TransceiveLimit = {
	/** GET RESPONSE rounds after one command: 256 rounds of 256 bytes cover the largest extended response. */
	GetResponseRounds: 256
} as const;

export interface TransceiveOptions {
	signal?: AbortSignal;
	/** Force the APDU form; by default short whenever it fits. */
	form?: ApduForm;
	maxGetResponseRounds?: number;
}

function getResponse(length: number): CommandApdu {
	return { cla: 0x00, ins: Instruction.GetResponse, p1: 0x00, p2: 0x00, le: length };
}

async function sendOnce(channel: CardChannel, command: CommandApdu, form: ApduForm | undefined, signal?: AbortSignal) {
	throwIfAborted(signal);
	const bytes = encodeCommandApdu(command, { form });
	try {
		return parseResponseApdu(await channel.transmit(bytes, { signal }));
	} finally {
		if (carriesSecret(command.ins)) wipe(bytes);
	}
}

/** One command, resent once with the exact Le when the card answers 6Cxx (only if the command asked for data). */
async function sendWithLeCorrection(
	channel: CardChannel,
	command: CommandApdu,
	form: ApduForm | undefined,
	signal?: AbortSignal
): Promise<ResponseApdu> {
	const first = await sendOnce(channel, command, form, signal);
	if (first.sw >>> 8 !== StatusWord1.WrongLe || command.le === undefined) return first;
	const second = await sendOnce(channel, { ...command, le: statusWordCount(first.sw) }, form, signal);
	if (second.sw >>> 8 === StatusWord1.WrongLe) {
		throw new MynaError(ErrorKind.Protocol, `Card answered ${formatStatusWord(second.sw)} again after the Le correction`, {
			sw: second.sw,
			ins: command.ins
		});
	}
	return second;
}

/**
 * Sends one command and returns the complete answer: 61xx is followed by GET RESPONSE (`00 C0 00 00 xx`) until
 * the card stops asking, concatenating the data; 6Cxx is answered by resending the command once with Le = xx.
 * Status words are returned, not thrown (see `checkOk`). The command goes out exactly as described: no Lc or Le is
 * added, and an extended command on a channel that does not announce extended length is refused before sending.
 * The encoded bytes of VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER are zeroed once the channel answers.
 */
export async function transceive(channel: CardChannel, command: CommandApdu, options: TransceiveOptions = {}): Promise<ResponseApdu> {
	const { signal, form } = options;
	const maxRounds = options.maxGetResponseRounds ?? TransceiveLimit.GetResponseRounds;
	if (commandApduForm(command, { form }) === ApduForm.Extended && channel.capabilities?.extendedLength !== true) {
		throw new MynaError(ErrorKind.Unsupported, 'This reader does not carry extended-length APDUs', {
			reason: 'extended-length',
			ins: command.ins
		});
	}
	let response = await sendWithLeCorrection(channel, command, form, signal);
	if (response.sw >>> 8 !== StatusWord1.BytesAvailable) return response;
	const parts: Uint8Array[] = [response.data];
	for (let round = 0; response.sw >>> 8 === StatusWord1.BytesAvailable; round++) {
		if (round >= maxRounds) {
			throw new MynaError(ErrorKind.Protocol, 'Card kept answering 61xx past the GET RESPONSE limit', {
				rounds: round,
				ins: command.ins
			});
		}
		response = await sendWithLeCorrection(channel, getResponse(statusWordCount(response.sw)), undefined, signal);
		parts.push(response.data);
	}
	return { data: concatBytes(...parts), sw: response.sw };
}

/** `transceive`, then the data of a 9000 answer; any other status word throws an `ApduStatusError`. */
export async function transceiveOk(channel: CardChannel, command: CommandApdu, options: TransceiveOptions = {}): Promise<Uint8Array> {
	return checkOk(await transceive(channel, command, options), { ins: command.ins });
}
