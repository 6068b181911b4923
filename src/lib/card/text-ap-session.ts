import { wipe } from '../bytes';
import { ErrorKind, MynaError } from '../errors';
import { AgeThreshold, hasReachedAge } from './age-check';
import { ALL_BASIC_INFO_FIELDS, parseBasicFourInfo, type BasicFourInfo, type BasicInfoField } from './basic-four-info';
import { CardApplication, TextApFile } from './card-applications';
import { ReadLimit, type CardSession } from './card-session';
import { MY_NUMBER_EF_READ_LENGTH, parseMyNumberEf } from './my-number';
import type { PinGuard, PinOptions } from './pin-guard';
import { PinKind } from './pin-specs';

export interface ReadBasicInfoOptions extends PinOptions {
	/** Which of the 4 info to return (default all four); the others are not decoded and not returned. */
	fields?: readonly BasicInfoField[];
}

/** The 4 info EF is a few hundred bytes at most; a larger header is corrupt. */
const MAX_BASIC_INFO_LENGTH = 0x1000;

function checkFields(fields: readonly BasicInfoField[] | undefined): readonly BasicInfoField[] {
	if (fields === undefined) return ALL_BASIC_INFO_FIELDS;
	if (!Array.isArray(fields) || fields.length === 0 || fields.some((f) => !ALL_BASIC_INFO_FIELDS.includes(f))) {
		throw new MynaError(ErrorKind.Malformed, 'Say which of the 4 info to read: name, address, birthDate, sex', { argument: 'fields' });
	}
	return fields;
}

/**
 * The 券面事項入力補助AP: the 4 info and, only on its own explicit call, the my number; each read behind the
 * card-information PIN. The raw EF bytes are zeroed once the requested values are out.
 */
export class TextApSession {
	readonly #session: CardSession;
	readonly #guard: PinGuard;

	constructor(session: CardSession, guard: PinGuard) {
		this.#session = session;
		this.#guard = guard;
	}

	async readBasicInfo(pin: string, options: ReadBasicInfoOptions = {}): Promise<BasicFourInfo> {
		const fields = checkFields(options.fields);
		await this.#guard.verify(PinKind.Text, pin, options);
		await this.#selectData(TextApFile.BasicFourInfo, options.signal);
		const raw = await this.#session.readObject(ReadLimit.HeaderProbe, options.signal, MAX_BASIC_INFO_LENGTH);
		try {
			return parseBasicFourInfo(raw, fields);
		} finally {
			wipe(raw);
		}
	}

	async readMyNumber(pin: string, options: PinOptions = {}): Promise<{ myNumber: string }> {
		await this.#guard.verify(PinKind.Text, pin, options);
		await this.#selectData(TextApFile.MyNumber, options.signal);
		const raw = await this.#session.readStart(MY_NUMBER_EF_READ_LENGTH, options.signal);
		try {
			return { myNumber: parseMyNumberEf(raw) };
		} finally {
			wipe(raw);
		}
	}

	/** Whether the holder has reached `age` on the Japanese calendar day of `at`; the birth date never leaves. */
	async isAtLeast(pin: string, age: AgeThreshold, at: Date, options: PinOptions = {}): Promise<boolean> {
		if (age !== AgeThreshold.Adult && age !== AgeThreshold.Twenty) {
			throw new MynaError(ErrorKind.Unsupported, 'Only the ages 18 and 20 can be checked', { reason: 'age-threshold' });
		}
		if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
			throw new MynaError(ErrorKind.Malformed, 'The date of the age check is not a date', { argument: 'at' });
		}
		const { birthDate } = await this.readBasicInfo(pin, { ...options, fields: ['birthDate'] });
		return hasReachedAge(birthDate!, age, at);
	}

	async #selectData(fid: number, signal?: AbortSignal): Promise<void> {
		await this.#session.requireApplication(CardApplication.Text, signal);
		if (!(await this.#session.selectFile(fid, signal))) {
			throw new MynaError(ErrorKind.FileNotFound, 'The 券面事項入力補助AP lacks a data file', { file: fid });
		}
	}
}
