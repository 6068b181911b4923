import { concatBytes, equalBytes, toHex, wipe } from '../../bytes';
import type { ApduCard } from './apdu-card';
import type { CardApplication, CardElementaryFile, MynaApplicationName } from './card-file-system';
import { CardStatusWord, bytesAvailableStatus, retryCounterStatus, statusBytes, wrongLeStatus } from './card-status-word';
import { CommandApduCase, parseCommandApdu, type CommandApdu } from './command-apdu';
import type { TestCertificateSet } from './test-pki';
import type { MynaPersona } from './test-personas';
import { buildVirtualCardContents } from './virtual-card-applications';
import { VirtualCardFaults } from './virtual-card-faults';
import {
	resolveVirtualCardOptions,
	type ResolvedVirtualCardOptions,
	type VirtualCardVariant,
	type VirtualMynaCardOptions
} from './virtual-card-options';
import { VerifyOutcome, matchesPinFormat, type VirtualCardPin, type VirtualCardPinId } from './virtual-card-pin';

/**
 * The virtual My Number Card: an ISO 7816-4 APDU state machine with JPKI-AP, 券面事項入力補助AP, 券面AP and a
 * minimal 住基AP, built from facts/jpki.md and the committed test PKI.
 *
 * Behaviour chosen where the facts are silent (each is a decision, documented so hosts don't depend on more):
 * - Malformed APDU (any length that is not case 1/2/3/4 short or extended) → 6700. Extended APDUs → 6700 unless
 *   the `extendedLength` option is set.
 * - CLA: 00 for the ISO commands, 80 for COMPUTE DIGITAL SIGNATURE. Logical channel bits → 6881, secure messaging
 *   bits → 6882, chaining bit → 6884, anything else → 6E00. Unknown INS → 6D00.
 * - SELECT: P1 04 (AID, exact match) or 02 (EF in the selected application) with P2 0C; P1 00 with 3F00 or no data
 *   selects the MF. Other P1 / P2 → 6A86. Not found → 6A82, and the previous selection stays. An Le is tolerated.
 * - READ BINARY (case 2 only, else 6700): 15-bit offset in P1‖P2, or P1 = 100xxxxx with a short EF id (the EF is
 *   selected) and the offset in P2. Offset at or past the end → 6B00. Ne larger than what is left returns what is
 *   left with 9000 (not 6282; the `wrongLength` fault answers 6Cxx instead). No current EF → 6986; PIN/key EF →
 *   6981; required PIN not verified in this session → 6982.
 * - VERIFY 00 20 00 80: case 1 → 63Cx (nothing spent), or 9000 when verified (`verifiedEmptyVerify`); case 3 →
 *   compare; cases 2 and 4 (e.g. `00 20 00 80 00`) → 6700 and nothing is spent. No PIN EF selected → 6A88.
 *   Blocked → 6984 (with data) / 63C0 (empty). A wrong PIN also drops the verified state of that PIN.
 * - CHANGE REFERENCE DATA 00 24 01 80 (case 3): needs that PIN verified (6982); my-number based PINs → 6985; new
 *   value not in the PIN's format → 6A80. Success resets the counter and keeps the PIN verified.
 * - COMPUTE DIGITAL SIGNATURE 80 2A 00 80 (case 4, Ne 256 or more, else 6700): needs a key EF selected whose PIN is
 *   verified (else 6982); data over 245 bytes → 6700; other P1/P2 → 6A86. The key stays usable for more signatures.
 * - Security state: verified PINs are forgotten on reset(), on SELECT of a different application, and (option
 *   `securityOnReselect`, default 'reset') on re-SELECT of the same one. Retry counters always persist.
 */
export class VirtualMynaCard implements ApduCard {
	readonly faults = new VirtualCardFaults();
	/** The resolved options without the PIN values: those live only inside the PIN objects. */
	readonly #options: Omit<ResolvedVirtualCardOptions, 'pins'>;
	readonly #applications: readonly CardApplication[];
	readonly #pins: ReadonlyMap<VirtualCardPinId, VirtualCardPin>;
	readonly #log: VirtualCardLogEntry[] = [];
	#application: CardApplication | null = null;
	#currentFile: CardElementaryFile | null = null;
	readonly #verified = new Set<VirtualCardPinId>();
	#pending: { data: Uint8Array; sw: number } | null = null;

	constructor(options: VirtualMynaCardOptions = {}) {
		const resolved = resolveVirtualCardOptions(options);
		const contents = buildVirtualCardContents(resolved);
		const { pins: _pins, ...withoutPins } = resolved;
		this.#options = withoutPins;
		this.#applications = contents.applications;
		this.#pins = contents.pins;
	}

	get atr(): Uint8Array {
		return this.#options.atr.slice();
	}

	/** What this card was built from (for tests to compare against). */
	get profile(): VirtualCardProfile {
		const { variant, persona, certificateSet, hasSignCredential, extendedLength } = this.#options;
		return { variant, persona, certificateSet, hasSignCredential, extendedLength };
	}

	/** Commands received, oldest first; VERIFY / CHANGE REFERENCE DATA data (and its length) masked as `**`. */
	get log(): readonly VirtualCardLogEntry[] {
		return [...this.#log];
	}

	clearLog(): void {
		this.#log.length = 0;
	}

	/** The retry counter of a PIN. */
	triesLeft(pin: VirtualCardPinId): number {
		return this.#pin(pin).triesLeft;
	}

	/** Test control: set a retry counter (0 blocks the PIN). */
	setTriesLeft(pin: VirtualCardPinId, value: number): void {
		this.#pin(pin).setTriesLeft(value);
	}

	/** Whether the PIN is verified in the current session. */
	isVerified(pin: VirtualCardPinId): boolean {
		return this.#verified.has(pin);
	}

	/** The selected application, or null (MF / after reset). */
	get selectedApplication(): MynaApplicationName | null {
		return this.#application?.name ?? null;
	}

	reset(): void {
		this.#application = null;
		this.#currentFile = null;
		this.#verified.clear();
		this.#dropPending();
	}

	async transmit(apdu: Uint8Array): Promise<Uint8Array> {
		let response: CardResponse;
		let fault: VirtualCardLogEntry['fault'];
		const answer = this.faults.takeAnswer(apdu.length >= 2 ? apdu[1] : undefined);
		if (answer) {
			response = { data: answer.data?.slice() ?? new Uint8Array(0), sw: answer.sw };
			fault = 'answer';
		} else {
			try {
				response = this.#process(apdu);
			} catch {
				// Never leak details (a message could carry command data); the host sees a plain 6F00.
				response = { data: new Uint8Array(0), sw: CardStatusWord.noPreciseDiagnosis };
			}
		}
		this.#record(apdu, response, fault);
		const delay = this.faults.takeDelay();
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		return concatBytes(response.data, statusBytes(response.sw));
	}

	// -------------------------------------------------------------------------------------------------------------

	#process(bytes: Uint8Array): CardResponse {
		const parsed = parseCommandApdu(bytes);
		if (!parsed.ok) {
			this.#dropPending();
			return status(CardStatusWord.wrongLength);
		}
		const apdu = parsed.apdu;
		if (apdu.extended && !this.#options.extendedLength) {
			this.#dropPending();
			return status(CardStatusWord.wrongLength);
		}
		if (apdu.cla === 0x00 && apdu.ins === Ins.getResponse) return this.#getResponse(apdu);
		this.#dropPending();

		const claProblem = checkCla(apdu);
		if (claProblem !== undefined) return status(claProblem);

		const response = this.#dispatch(apdu);
		if (this.faults.getResponseEnabled && response.data.length > 0) {
			this.#pending = { data: response.data, sw: response.sw };
			return status(bytesAvailableStatus(response.data.length));
		}
		return response;
	}

	#dispatch(apdu: CommandApdu): CardResponse {
		if (apdu.cla === 0x80) {
			return apdu.ins === Ins.performSecurityOperation ? this.#computeSignature(apdu) : status(CardStatusWord.insNotSupported);
		}
		switch (apdu.ins) {
			case Ins.select:
				return this.#select(apdu);
			case Ins.readBinary:
				return this.#readBinary(apdu);
			case Ins.verify:
				return this.#verify(apdu);
			case Ins.changeReferenceData:
				return this.#changeReferenceData(apdu);
			case Ins.performSecurityOperation:
				return status(CardStatusWord.claNotSupported);
			default:
				return status(CardStatusWord.insNotSupported);
		}
	}

	#select(apdu: CommandApdu): CardResponse {
		if (apdu.p1 === SelectP1.masterFile) {
			if (apdu.p2 !== SELECT_NO_RESPONSE_DATA) return status(CardStatusWord.incorrectP1P2);
			if (apdu.data.length !== 0 && !equalBytes(apdu.data, MASTER_FILE_ID)) return status(CardStatusWord.fileNotFound);
			this.#application = null;
			this.#currentFile = null;
			this.#verified.clear();
			return status(CardStatusWord.ok);
		}
		if (apdu.p1 !== SelectP1.byAid && apdu.p1 !== SelectP1.efUnderCurrentDf) return status(CardStatusWord.incorrectP1P2);
		if (apdu.p2 !== SELECT_NO_RESPONSE_DATA) return status(CardStatusWord.incorrectP1P2);
		if (apdu.apduCase === CommandApduCase.case1 || apdu.apduCase === CommandApduCase.case2) return status(CardStatusWord.wrongLength);

		if (apdu.p1 === SelectP1.byAid) {
			const application = this.#applications.find((app) => equalBytes(app.aid, apdu.data));
			if (!application) return status(CardStatusWord.fileNotFound);
			if (application !== this.#application || this.#options.securityOnReselect === 'reset') this.#verified.clear();
			this.#application = application;
			this.#currentFile = null;
			return status(CardStatusWord.ok);
		}

		if (apdu.data.length !== 2) return status(CardStatusWord.wrongLength);
		const file = this.#application?.files.get((apdu.data[0]! << 8) | apdu.data[1]!);
		if (!file) return status(CardStatusWord.fileNotFound);
		this.#currentFile = file;
		return status(CardStatusWord.ok);
	}

	#readBinary(apdu: CommandApdu): CardResponse {
		if (apdu.apduCase !== CommandApduCase.case2) return status(CardStatusWord.wrongLength);
		let offset: number;
		if ((apdu.p1 & 0x80) !== 0) {
			// Short EF identifier: P1 = 100xxxxx, offset in P2.
			const sfi = apdu.p1 & 0x1f;
			if ((apdu.p1 & 0x60) !== 0 || sfi === 0) return status(CardStatusWord.incorrectP1P2);
			const file = this.#application?.files.get(sfi);
			if (!file) return status(CardStatusWord.fileNotFound);
			this.#currentFile = file;
			offset = apdu.p2;
		} else {
			offset = (apdu.p1 << 8) | apdu.p2;
		}
		const file = this.#currentFile;
		if (!file) return status(CardStatusWord.noCurrentEf);
		if (file.type !== 'data') return status(CardStatusWord.incompatibleFileStructure);
		if (file.read.kind === 'pin' && !file.read.anyOf.some((pin) => this.#verified.has(pin))) {
			return status(CardStatusWord.securityStatusNotSatisfied);
		}
		if (offset >= file.content.length) return status(CardStatusWord.wrongP1P2);
		const left = file.content.length - offset;
		if (this.faults.wrongLengthEnabled && apdu.ne > left && left < 256) return status(wrongLeStatus(left));
		return { data: file.content.slice(offset, offset + Math.min(left, apdu.ne)), sw: CardStatusWord.ok };
	}

	#verify(apdu: CommandApdu): CardResponse {
		if (apdu.p1 !== 0x00 || apdu.p2 !== PIN_OF_CURRENT_EF) return status(CardStatusWord.incorrectP1P2);
		if (apdu.apduCase === CommandApduCase.case2 || apdu.apduCase === CommandApduCase.case4) return status(CardStatusWord.wrongLength);
		const file = this.#currentFile;
		if (!file || file.type !== 'pin') return status(CardStatusWord.referencedDataNotFound);
		const pin = this.#pin(file.pin);

		if (apdu.apduCase === CommandApduCase.case1) {
			if (this.#verified.has(pin.id) && this.#options.verifiedEmptyVerify === '9000') return status(CardStatusWord.ok);
			return status(retryCounterStatus(pin.triesLeft));
		}

		try {
			const outcome = pin.verify(apdu.data);
			if (outcome === VerifyOutcome.blocked) return status(CardStatusWord.authenticationMethodBlocked);
			if (outcome === VerifyOutcome.wrong) {
				this.#verified.delete(pin.id);
				return status(retryCounterStatus(pin.triesLeft));
			}
			this.#verified.add(pin.id);
			return status(CardStatusWord.ok);
		} finally {
			wipe(apdu.data);
		}
	}

	#changeReferenceData(apdu: CommandApdu): CardResponse {
		try {
			if (apdu.p1 !== CHANGE_NEW_VALUE_ONLY || apdu.p2 !== PIN_OF_CURRENT_EF) return status(CardStatusWord.incorrectP1P2);
			if (apdu.apduCase !== CommandApduCase.case3) return status(CardStatusWord.wrongLength);
			const file = this.#currentFile;
			if (!file || file.type !== 'pin') return status(CardStatusWord.referencedDataNotFound);
			const pin = this.#pin(file.pin);
			if (pin.blocked) return status(CardStatusWord.authenticationMethodBlocked);
			if (!this.#verified.has(pin.id)) return status(CardStatusWord.securityStatusNotSatisfied);
			if (!pin.spec.changeable) return status(CardStatusWord.conditionsNotSatisfied);
			if (!matchesPinFormat(apdu.data, pin.spec.format)) return status(CardStatusWord.wrongData);
			pin.change(apdu.data);
			return status(CardStatusWord.ok);
		} finally {
			wipe(apdu.data);
		}
	}

	#computeSignature(apdu: CommandApdu): CardResponse {
		if (apdu.p1 !== 0x00 || apdu.p2 !== SIGN_WITH_CURRENT_KEY) return status(CardStatusWord.incorrectP1P2);
		if (apdu.apduCase !== CommandApduCase.case4 || apdu.ne < 256) return status(CardStatusWord.wrongLength);
		const file = this.#currentFile;
		if (!file || file.type !== 'key' || !this.#verified.has(file.use)) return status(CardStatusWord.securityStatusNotSatisfied);
		if (apdu.data.length > file.key.maxDataLength) return status(CardStatusWord.wrongLength);
		return { data: file.key.signPkcs1v15(apdu.data), sw: CardStatusWord.ok };
	}

	#getResponse(apdu: CommandApdu): CardResponse {
		if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) {
			this.#dropPending();
			return status(CardStatusWord.incorrectP1P2);
		}
		if (apdu.apduCase !== CommandApduCase.case2) {
			this.#dropPending();
			return status(CardStatusWord.wrongLength);
		}
		const pending = this.#pending;
		if (!pending) return status(CardStatusWord.conditionsNotSatisfied);
		const chunk = pending.data.slice(0, apdu.ne);
		const rest = pending.data.slice(chunk.length);
		if (rest.length > 0) {
			this.#pending = { data: rest, sw: pending.sw };
			return { data: chunk, sw: bytesAvailableStatus(rest.length) };
		}
		this.#pending = null;
		return { data: chunk, sw: pending.sw };
	}

	#dropPending(): void {
		if (this.#pending) wipe(this.#pending.data);
		this.#pending = null;
	}

	#pin(id: VirtualCardPinId): VirtualCardPin {
		const pin = this.#pins.get(id);
		if (!pin) throw new RangeError(`unknown PIN "${id}"`);
		return pin;
	}

	#record(apdu: Uint8Array, response: CardResponse, fault: VirtualCardLogEntry['fault']): void {
		if (this.#options.logLimit === 0) return;
		const entry: VirtualCardLogEntry = {
			command: maskedCommandHex(apdu),
			sw: response.sw,
			responseLength: response.data.length,
			...(fault ? { fault } : {})
		};
		this.#log.push(entry);
		if (this.#log.length > this.#options.logLimit) this.#log.splice(0, this.#log.length - this.#options.logLimit);
	}
}

export interface VirtualCardProfile {
	readonly variant: VirtualCardVariant;
	readonly persona: MynaPersona;
	readonly certificateSet: TestCertificateSet;
	/** False for a child card (no signing certificate, key or password). */
	readonly hasSignCredential: boolean;
	readonly extendedLength: boolean;
}

export interface VirtualCardLogEntry {
	/** Command APDU as spaced hex; for VERIFY and CHANGE REFERENCE DATA only the header and `**`. */
	readonly command: string;
	readonly sw: number;
	/** Response data bytes returned (the data itself is not logged). */
	readonly responseLength: number;
	/** Set when a fault hook produced the answer. */
	readonly fault?: 'answer';
}

interface CardResponse {
	readonly data: Uint8Array;
	readonly sw: number;
}

const Ins = {
	select: 0xa4,
	readBinary: 0xb0,
	verify: 0x20,
	changeReferenceData: 0x24,
	performSecurityOperation: 0x2a,
	getResponse: 0xc0
} as const;

const SelectP1 = { masterFile: 0x00, efUnderCurrentDf: 0x02, byAid: 0x04 } as const;
const SELECT_NO_RESPONSE_DATA = 0x0c;
const MASTER_FILE_ID = Uint8Array.of(0x3f, 0x00);
/** P2 of VERIFY / CHANGE: "the PIN of the currently selected PIN EF" (facts/jpki.md §0). */
const PIN_OF_CURRENT_EF = 0x80;
/** P1 of CHANGE REFERENCE DATA: the data field holds only the new value. */
const CHANGE_NEW_VALUE_ONLY = 0x01;
/** P2 of COMPUTE DIGITAL SIGNATURE: the key of the currently selected key EF. */
const SIGN_WITH_CURRENT_KEY = 0x80;
const SECRET_BEARING_INS: ReadonlySet<number> = new Set([Ins.verify, Ins.changeReferenceData]);

function status(sw: number): CardResponse {
	return { data: new Uint8Array(0), sw };
}

function checkCla(apdu: CommandApdu): number | undefined {
	const cla = apdu.cla;
	if (cla === 0x00 || cla === 0x80) return undefined;
	if (cla === 0xff || (cla & 0x80) !== 0) return CardStatusWord.claNotSupported;
	if ((cla & 0x10) !== 0) return CardStatusWord.chainingNotSupported;
	if ((cla & 0x0c) !== 0) return CardStatusWord.secureMessagingNotSupported;
	if ((cla & 0x03) !== 0 || (cla & 0x40) !== 0) return CardStatusWord.logicalChannelNotSupported;
	return CardStatusWord.claNotSupported;
}

/** The command as hex; the PIN-carrying commands keep only their 4-byte header, the rest (Lc + data) becomes `**`. */
function maskedCommandHex(apdu: Uint8Array): string {
	if (apdu.length > 4 && SECRET_BEARING_INS.has(apdu[1]!)) return `${toHex(apdu.subarray(0, 4), ' ')} **`;
	return toHex(apdu, ' ');
}

/** `createVirtualCard(options)`: the emulator seam (design §3). */
export function createVirtualCard(options?: VirtualMynaCardOptions): VirtualMynaCard {
	return new VirtualMynaCard(options);
}
