import type { ApduCard } from '../../card/apdu-card';
import type { AtrT1Parameters } from './atr-t1-parameters';
import { CcidIccStatus, CcidProtocol } from './ccid-constants';
import type { T1CardEngine } from './t1-card-engine';

/** Extended-APDU chaining (wLevelParameter / bChainParameter) between messages. */
export type CcidChainState =
	| { readonly kind: 'idle' }
	| { readonly kind: 'command'; readonly parts: Uint8Array[]; length: number }
	| { readonly kind: 'response'; readonly data: Uint8Array; offset: number };

export const CHAIN_IDLE: CcidChainState = { kind: 'idle' };

/** Protocol data structures as SetParameters carries them (CCID §6.1.7), before any card says otherwise. */
export const DEFAULT_T1_PARAMETERS: readonly number[] = [0x11, 0x10, 0x00, 0x4d, 0x00, 0x20, 0x00];
export const DEFAULT_T0_PARAMETERS: readonly number[] = [0x11, 0x00, 0x00, 0x0a, 0x00];

/** One slot of a CCID interface: the card in it, its power, protocol state, and the faults armed on it. */
export class CcidSlot {
	readonly index: number;
	card: ApduCard | undefined;
	powered = false;
	/** Set on insert/remove, cleared when a NotifySlotChange reports it. */
	changed = false;
	/** Aborted when the card leaves the slot: an exchange in progress ends at once. */
	removal = new AbortController();
	atr: AtrT1Parameters | undefined;
	engine: T1CardEngine | undefined;
	protocol: number = CcidProtocol.T1;
	parameters: Uint8Array = new Uint8Array(DEFAULT_T1_PARAMETERS);
	chain: CcidChainState = CHAIN_IDLE;
	lastSeq = 0;
	faults = {
		timeExtensions: { count: 0, multiplier: 1 },
		wtx: { count: 0, multiplier: 1 },
		corruptEdc: false,
		muted: false,
		hardwareError: false
	};

	constructor(index: number) {
		this.index = index;
	}

	get iccStatus(): number {
		if (!this.card) return CcidIccStatus.Absent;
		return this.powered ? CcidIccStatus.PresentActive : CcidIccStatus.PresentInactive;
	}

	deactivate(): void {
		this.powered = false;
		this.engine = undefined;
		this.chain = CHAIN_IDLE;
	}
}
