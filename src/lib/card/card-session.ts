import { ApduStatusError, Instruction, StatusWord, transceive, type CardChannel, type CommandApdu, type ResponseApdu } from '../apdu';
import { wipe } from '../bytes';
import { ErrorKind, isMynaError, MynaError } from '../errors';
import { readBerObjectHeader } from './ber-object-header';
import { applicationAid, CardApplication } from './card-applications';
import { CardCommand } from './card-commands';
import type { PinKind } from './pin-specs';
import type { RsaPublicKey } from './rsa-public-key';

export const ReadLimit = {
	ShortChunk: 256,
	ExtendedChunk: 65_536,
	/** READ BINARY offsets are 15 bits in P1‖P2 (facts/jpki.md §2). */
	MaxFileLength: 0x7fff,
	/** First read of a small BER object: the longest header the reader accepts (myna reads 7). */
	HeaderProbe: 8,
	/** First read of an object known to exceed 256 bytes (certificates, the card face): one full short chunk. */
	LargeObjectProbe: 256
} as const;

/** Whether READ BINARY uses extended Le: the channel must carry it and the card must accept it. */
export const ExtendedLengthUse = {
	/** The channel announces short APDUs only. */
	Unavailable: 'unavailable',
	/** Not tried yet in this session. */
	Untested: 'untested',
	Works: 'works',
	/**
	 * The card refused the first extended read (6700 or another error), answered 6Cxx, or sent fewer bytes than
	 * asked: 256-byte reads for the rest of the session.
	 */
	Refused: 'refused'
} as const;
export type ExtendedLengthUse = (typeof ExtendedLengthUse)[keyof typeof ExtendedLengthUse];

export type SigningKeyKind = typeof PinKind.Auth | typeof PinKind.Sign;

/** Errors after which the card (or the reader) is gone: the session's knowledge of the card no longer holds. */
const CARD_GONE: ReadonlySet<string> = new Set([
	ErrorKind.CardRemoved,
	ErrorKind.CardAbsent,
	ErrorKind.ReaderUnplugged,
	ErrorKind.CardMute
]);

const APPLICATION_NAMES = {
	jpki: 'JPKI-AP (公的個人認証AP)',
	text: '券面事項入力補助AP',
	visual: '券面AP'
} as const satisfies Record<CardApplication, string>;

/**
 * What this layer knows about one card between APDUs: the selected application, the PINs verified since it was
 * selected, what the card said about its counters, and whether extended READ BINARY works. Selecting another
 * application (and, on some cards, re-selecting the same one) ends the card's security state, so an application is
 * selected only when it is not the current one. Anything that leaves the card's state uncertain (an error other than
 * a status word) drops this knowledge, so the next step starts from a fresh selection.
 */
export class CardSession {
	readonly #channel: CardChannel;
	#application: CardApplication | null = null;
	#extended: ExtendedLengthUse = ExtendedLengthUse.Untested;
	readonly verified = new Set<PinKind>();
	/** PINs the card reported blocked in this session; a blocked PIN stays blocked until reset elsewhere. */
	readonly blocked = new Set<PinKind>();
	/** The last retry count the card reported for each PIN. */
	readonly triesSeen = new Map<PinKind, number>();
	/** Public keys taken from the certificates read in this session (public data, no personal data). */
	readonly publicKeys = new Map<SigningKeyKind, RsaPublicKey>();

	constructor(channel: CardChannel) {
		this.#channel = channel;
	}

	get application(): CardApplication | null {
		return this.#application;
	}

	get extendedLength(): ExtendedLengthUse {
		if (this.#extended !== ExtendedLengthUse.Untested) return this.#extended;
		return this.#extendedChunk() > ReadLimit.ShortChunk ? ExtendedLengthUse.Untested : ExtendedLengthUse.Unavailable;
	}

	/** Forget everything known about the card (card removed, reader gone, end of a kiosk session). */
	reset(): void {
		this.#loseTrack();
		this.#extended = ExtendedLengthUse.Untested;
		this.blocked.clear();
		this.publicKeys.clear();
	}

	async send(command: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
		try {
			return await transceive(this.#channel, command, { signal });
		} catch (error) {
			if (isMynaError(error) && CARD_GONE.has(error.kind)) this.reset();
			else this.#loseTrack();
			throw error;
		}
	}

	/** Selects an application unless it is already the current one; false when the card has none (6A82). */
	async selectApplication(application: CardApplication, signal?: AbortSignal): Promise<boolean> {
		if (this.#application === application) return true;
		this.#loseTrack();
		const response = await this.send(CardCommand.selectApplication(applicationAid(application)), signal);
		if (response.sw === StatusWord.Ok) {
			this.#application = application;
			return true;
		}
		if (response.sw === StatusWord.FileNotFound) return false;
		throw new ApduStatusError(response.sw, { ins: Instruction.Select });
	}

	/** Like `selectApplication`, but a missing application means this is not a My Number Card. */
	async requireApplication(application: CardApplication, signal?: AbortSignal): Promise<void> {
		if (!(await this.selectApplication(application, signal))) {
			throw new MynaError(ErrorKind.NotMynaCard, `The card has no ${APPLICATION_NAMES[application]}; it is not a My Number Card`, {
				application
			});
		}
	}

	/** SELECT EF in the current application; false when the file does not exist (6A82). */
	async selectFile(fid: number, signal?: AbortSignal): Promise<boolean> {
		const response = await this.send(CardCommand.selectFile(fid), signal);
		if (response.sw === StatusWord.Ok) return true;
		if (response.sw === StatusWord.FileNotFound) return false;
		throw new ApduStatusError(response.sw, { ins: Instruction.Select });
	}

	/** Up to `length` (≤ 256) bytes from offset 0 of the current EF, with exactly that Le. */
	async readStart(length: number, signal?: AbortSignal): Promise<Uint8Array> {
		const response = await this.send(CardCommand.readBinary(0, length), signal);
		return readData(response, 0, length);
	}

	/**
	 * The whole BER object at the start of the current EF, its length learned from its header: one read of `probe`
	 * bytes, then the rest in the largest chunks both channel and card accept. The result is complete or the call
	 * throws; partial data is zeroed before the error leaves.
	 */
	async readObject(probe: number, signal?: AbortSignal, maxLength: number = ReadLimit.MaxFileLength): Promise<Uint8Array> {
		const head = await this.readStart(probe, signal);
		let object: Uint8Array | undefined;
		try {
			const header = readBerObjectHeader(head, Math.min(maxLength, ReadLimit.MaxFileLength));
			object = new Uint8Array(header.totalLength);
			let have = Math.min(head.length, header.totalLength);
			object.set(head.subarray(0, have));
			while (have < header.totalLength) {
				const chunk = await this.#readChunk(have, header.totalLength - have, signal);
				object.set(chunk, have);
				have += chunk.length;
				wipe(chunk);
			}
			return object;
		} catch (error) {
			wipe(object);
			throw error;
		} finally {
			wipe(head);
		}
	}

	async #readChunk(offset: number, left: number, signal?: AbortSignal): Promise<Uint8Array> {
		const extendedChunk = this.#extendedChunk();
		if (extendedChunk > ReadLimit.ShortChunk && left > ReadLimit.ShortChunk) {
			const want = Math.min(left, extendedChunk);
			const response = await this.send(CardCommand.readBinary(offset, want), signal);
			const answered = response.sw === StatusWord.Ok || response.sw === StatusWord.EndOfFileReached;
			// 6700 is the expected refusal; on the first try any other refusal is taken the same way (the short read
			// that follows reports a real problem with the file itself).
			if (response.sw === StatusWord.WrongLength || (!answered && this.#extended === ExtendedLengthUse.Untested)) {
				this.#extended = ExtendedLengthUse.Refused;
			} else {
				const data = readData(response, offset, want);
				// A shorter answer means transceive followed a 6Cxx, or the card caps its answers: stay short from now on.
				this.#extended = data.length < want ? ExtendedLengthUse.Refused : ExtendedLengthUse.Works;
				return data;
			}
		}
		const response = await this.send(CardCommand.readBinary(offset, Math.min(left, ReadLimit.ShortChunk)), signal);
		return readData(response, offset, Math.min(left, ReadLimit.ShortChunk));
	}

	#extendedChunk(): number {
		const capabilities = this.#channel.capabilities;
		if (capabilities?.extendedLength !== true || this.#extended === ExtendedLengthUse.Refused) return 0;
		return Math.min(capabilities.maxResponseData, ReadLimit.ExtendedChunk);
	}

	#loseTrack(): void {
		this.#application = null;
		this.verified.clear();
		this.triesSeen.clear();
	}
}

function readData(response: ResponseApdu, offset: number, asked: number): Uint8Array {
	if (response.sw !== StatusWord.Ok && response.sw !== StatusWord.EndOfFileReached) {
		throw new ApduStatusError(response.sw, { ins: Instruction.ReadBinary });
	}
	if (response.data.length === 0 || response.data.length > asked) {
		wipe(response.data);
		throw new MynaError(ErrorKind.Malformed, 'READ BINARY returned a length that was not asked for', {
			offset,
			asked,
			returned: response.data.length
		});
	}
	return response.data;
}
