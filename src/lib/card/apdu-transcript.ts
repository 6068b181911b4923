import { carriesSecret } from '../apdu';
import { fromHex, toHex } from '../bytes';
import { ErrorKind, MynaError } from '../errors';

/** One recorded exchange: a command APDU and the card's full answer (data + SW1 SW2). */
export interface ApduExchange {
	readonly command: Uint8Array;
	readonly response: Uint8Array;
}

export const TranscriptLimit = {
	Exchanges: 4096,
	/** A line holds one APDU as spaced hex: 3 characters per byte for the largest extended APDU, and some slack. */
	LineLength: 3 * 65_546 + 16
} as const;

function malformed(line: number, message: string): MynaError {
	return new MynaError(ErrorKind.Malformed, `APDU transcript line ${line}: ${message}`, { line });
}

/**
 * Reads a transcript: `> hex` for a command, `< hex` for the answer to it, strictly alternating; blank lines and
 * `#` comments are skipped. Bounded in exchanges and line length.
 */
export function parseApduTranscript(text: string): ApduExchange[] {
	const out: ApduExchange[] = [];
	let pending: Uint8Array | undefined;
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const lineNumber = i + 1;
		const line = lines[i]!.trim();
		if (line === '' || line.startsWith('#')) continue;
		if (line.length > TranscriptLimit.LineLength) throw malformed(lineNumber, 'line too long');
		const marker = line[0];
		let bytes: Uint8Array;
		try {
			bytes = fromHex(line.slice(1));
		} catch {
			throw malformed(lineNumber, 'not hex');
		}
		if (marker === '>') {
			if (pending) throw malformed(lineNumber, 'a command without an answer before it');
			if (bytes.length < 4) throw malformed(lineNumber, 'command shorter than its header');
			if (out.length >= TranscriptLimit.Exchanges) throw malformed(lineNumber, 'too many exchanges');
			pending = bytes;
		} else if (marker === '<') {
			if (!pending) throw malformed(lineNumber, 'an answer without a command');
			if (bytes.length < 2) throw malformed(lineNumber, 'answer without SW1 SW2');
			out.push({ command: pending, response: bytes });
			pending = undefined;
		} else {
			throw malformed(lineNumber, 'a line must start with > or <');
		}
	}
	if (pending) throw malformed(lines.length, 'the last command has no answer');
	return out;
}

/** Writes a transcript. A command that carries a PIN is refused: a transcript is kept, a PIN never is. */
export function formatApduTranscript(exchanges: readonly ApduExchange[], comments: readonly string[] = []): string {
	const lines = comments.map((c) => `# ${c}`);
	for (const { command, response } of exchanges) {
		if (command.length > 4 && carriesSecret(command[1]!)) {
			throw new MynaError(ErrorKind.Internal, 'A transcript never holds a command that carries a PIN');
		}
		lines.push(`> ${toHex(command, ' ').toUpperCase()}`, `< ${toHex(response, ' ').toUpperCase()}`);
	}
	return `${lines.join('\n')}\n`;
}
