import { Instruction, type CommandApdu } from '../apdu';

/**
 * The command APDUs of facts/jpki.md §0, as values. Each is the exact ISO case the sources use: SELECT is case 3
 * with P2 0C (no FCI, no Le), the counter read is case 1 (four bytes, nothing else), VERIFY and CHANGE REFERENCE
 * DATA are case 3, READ BINARY case 2, the signature case 4 with Le 00 (256).
 */
export const CardCommand = {
	selectApplication(aid: Uint8Array): CommandApdu {
		return { cla: 0x00, ins: Instruction.Select, p1: 0x04, p2: 0x0c, data: aid };
	},
	selectFile(fid: number): CommandApdu {
		return { cla: 0x00, ins: Instruction.Select, p1: 0x02, p2: 0x0c, data: Uint8Array.of(fid >>> 8, fid & 0xff) };
	},
	readBinary(offset: number, length: number): CommandApdu {
		return { cla: 0x00, ins: Instruction.ReadBinary, p1: (offset >>> 8) & 0x7f, p2: offset & 0xff, le: length };
	},
	/** `00 20 00 80`: the retry counter of the selected PIN EF, spending no try. */
	pinCounter(): CommandApdu {
		return { cla: 0x00, ins: Instruction.Verify, p1: 0x00, p2: 0x80 };
	},
	verify(pin: Uint8Array): CommandApdu {
		return { cla: 0x00, ins: Instruction.Verify, p1: 0x00, p2: 0x80, data: pin };
	},
	/** P1 01: the data field holds only the new value (the old one was verified just before). */
	changeReferenceData(newPin: Uint8Array): CommandApdu {
		return { cla: 0x00, ins: Instruction.ChangeReferenceData, p1: 0x01, p2: 0x80, data: newPin };
	},
	computeDigitalSignature(digestInfo: Uint8Array): CommandApdu {
		return { cla: 0x80, ins: Instruction.PerformSecurityOperation, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 };
	}
} as const;
