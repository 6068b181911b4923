/**
 * The device side of a virtual USB device: what a reader model implements. The virtual device does the WebUSB
 * bookkeeping (open, configuration, claims, protected classes, unplug) and hands the model only the traffic.
 */
export interface ControlSetup {
	requestType: USBRequestType;
	recipient: USBRecipient;
	request: number;
	value: number;
	index: number;
}

export const STALL = 'stall' as const;
export type Stall = typeof STALL;

export interface UsbFunctionModel {
	/** Bytes the host sent on an OUT endpoint. Throwing `STALL` stalls the endpoint. */
	transferOut(endpointNumber: number, data: Uint8Array): Promise<void | Stall> | void | Stall;
	/**
	 * The next bytes the device has for an IN endpoint; waits until there are some. `signal` aborts the wait
	 * (unplug, close). Bytes beyond `length` make the transfer babble, as on a real bus.
	 */
	transferIn(endpointNumber: number, length: number, signal: AbortSignal): Promise<Uint8Array | Stall>;
	/** Class or vendor control requests (standard GET_DESCRIPTOR is answered by the virtual device). */
	controlTransferIn?(setup: ControlSetup, length: number): Promise<Uint8Array | Stall>;
	controlTransferOut?(setup: ControlSetup, data: Uint8Array): Promise<void | Stall>;
	/** Host lifecycle notifications. */
	opened?(): void;
	closed?(): void;
	interfaceClaimed?(interfaceNumber: number): void;
	interfaceReleased?(interfaceNumber: number): void;
	deviceReset?(): void;
}
