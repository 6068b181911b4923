import { Instruction } from '../apdu';
import { equalBytes } from '../bytes';
import { applicationAid, CardApplication, JpkiFile, TextApFile, VisualApFile } from './card-applications';

/** EFs whose content is personal data (design §5): the 4 info, the my number, the card face, the signing certificate. */
const PERSONAL_FILES: Readonly<Record<CardApplication, readonly number[]>> = {
	jpki: [JpkiFile.SignCertificate],
	text: [TextApFile.MyNumber, TextApFile.BasicFourInfo],
	visual: [VisualApFile.CardFace]
};

/**
 * A `maskResponse` predicate for the APDU layer's `TracingChannel`: true for the answers to READ BINARY (and the
 * GET RESPONSE that follows one) while an EF holding personal data is selected, so a trace shows their status words
 * but never their data. It follows the SELECTs it sees, so give each traced channel its own predicate.
 */
export function personalDataResponseMask(): (command: Uint8Array) => boolean {
	const aids = Object.values(CardApplication).map((application) => [application, applicationAid(application)] as const);
	let application: CardApplication | undefined;
	let personal = false;
	let lastMasked = false;
	return (command) => {
		const ins = command[1];
		if (ins === Instruction.Select && command.length >= 5) {
			const data = command.subarray(5, 5 + command[4]!);
			if (command[2] === 0x04) {
				application = aids.find(([, aid]) => equalBytes(aid, data))?.[0];
				personal = false;
			} else if (command[2] === 0x02 && data.length === 2) {
				personal = application !== undefined && PERSONAL_FILES[application].includes((data[0]! << 8) | data[1]!);
			}
		}
		const masked = ins === Instruction.ReadBinary ? personal : ins === Instruction.GetResponse ? lastMasked : false;
		lastMasked = masked;
		return masked;
	};
}
