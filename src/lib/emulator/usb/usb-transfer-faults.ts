/**
 * Transfer-level fault injection for a virtual USB device: act before or after the Nth transfer from now
 * (unplug, remove the card, stall, corrupt a byte, delay).
 */
export type TransferDirection = 'in' | 'out';

export type TransferFaultAction =
	| { type: 'unplug' }
	| { type: 'stall' }
	| { type: 'corrupt'; byteIndex?: number; xor?: number }
	| { type: 'delay'; ms: number }
	| { type: 'call'; run: () => void };

export interface TransferFaultRule {
	/** 1 = the next matching transfer. */
	nth: number;
	direction?: TransferDirection;
	endpointNumber?: number;
	when: 'before' | 'after';
	action: TransferFaultAction;
}

interface ArmedRule extends TransferFaultRule {
	seen: number;
}

export class UsbTransferFaults {
	#rules: ArmedRule[] = [];
	/** Every transfer the device carried, in order (for "transfers per APDU" counts). */
	transferCount = 0;

	add(rule: TransferFaultRule): void {
		if (!Number.isInteger(rule.nth) || rule.nth < 1) throw new RangeError('nth must be a positive integer');
		this.#rules.push({ ...rule, seen: 0 });
	}

	clear(): void {
		this.#rules = [];
	}

	get pending(): number {
		return this.#rules.length;
	}

	/** Called by the device for each transfer; returns the actions due now (matching rules fire once). */
	take(direction: TransferDirection, endpointNumber: number, when: 'before' | 'after'): TransferFaultAction[] {
		const due: TransferFaultAction[] = [];
		if (when === 'before') {
			for (const rule of this.#rules) {
				if (rule.direction && rule.direction !== direction) continue;
				if (rule.endpointNumber !== undefined && rule.endpointNumber !== endpointNumber) continue;
				rule.seen++;
			}
		}
		this.#rules = this.#rules.filter((rule) => {
			const matches =
				rule.when === when &&
				rule.seen === rule.nth &&
				(!rule.direction || rule.direction === direction) &&
				(rule.endpointNumber === undefined || rule.endpointNumber === endpointNumber);
			if (matches) due.push(rule.action);
			return !matches;
		});
		return due;
	}
}
