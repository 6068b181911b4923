/** ISO 7816-4 instruction bytes used by the My Number Card applications and by this layer. */
export const Instruction = {
	Verify: 0x20,
	ChangeReferenceData: 0x24,
	ResetRetryCounter: 0x2c,
	PerformSecurityOperation: 0x2a,
	GetChallenge: 0x84,
	InternalAuthenticate: 0x88,
	Select: 0xa4,
	ReadBinary: 0xb0,
	ReadRecord: 0xb2,
	GetResponse: 0xc0,
	GetData: 0xca
} as const;
export type Instruction = (typeof Instruction)[keyof typeof Instruction];

/**
 * Instructions whose command data is a secret (PIN, password, 照合番号, or an unblocking code): VERIFY, CHANGE
 * REFERENCE DATA and RESET RETRY COUNTER with their odd-INS variants, whatever the CLA.
 */
export const SecretInstruction = {
	Verify: 0x20,
	VerifyOdd: 0x21,
	ChangeReferenceData: 0x24,
	ChangeReferenceDataOdd: 0x25,
	ResetRetryCounter: 0x2c,
	ResetRetryCounterOdd: 0x2d
} as const;

const secretInstructions: ReadonlySet<number> = new Set(Object.values(SecretInstruction));

export function carriesSecret(ins: number): boolean {
	return secretInstructions.has(ins);
}

const InstructionName = {
	[Instruction.Verify]: 'VERIFY',
	[Instruction.ChangeReferenceData]: 'CHANGE REFERENCE DATA',
	[Instruction.ResetRetryCounter]: 'RESET RETRY COUNTER',
	[Instruction.PerformSecurityOperation]: 'PERFORM SECURITY OPERATION',
	[Instruction.GetChallenge]: 'GET CHALLENGE',
	[Instruction.InternalAuthenticate]: 'INTERNAL AUTHENTICATE',
	[Instruction.Select]: 'SELECT',
	[Instruction.ReadBinary]: 'READ BINARY',
	[Instruction.ReadRecord]: 'READ RECORD',
	[Instruction.GetResponse]: 'GET RESPONSE',
	[Instruction.GetData]: 'GET DATA'
} as const satisfies Record<Instruction, string>;

export function instructionName(ins: number): string | undefined {
	return (InstructionName as Record<number, string>)[ins];
}
