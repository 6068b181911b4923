export { EmulatedSmartCardResourceManager } from './emulated-smart-card-api';
export { EmulatedSmartCardError } from './emulated-smart-card-error';
export { VirtualPcscReader, type VirtualPcscReaderChange } from './virtual-pcsc-reader';
export { VirtualPcscService } from './virtual-pcsc-service';

/** Replaces `navigator.smartCard` in a window (where the real one exists it is a getter on Navigator.prototype). */
export function installEmulatedSmartCard(scope: { navigator: Navigator }, manager: object): void {
	Object.defineProperty(Object.getPrototypeOf(scope.navigator), 'smartCard', { get: () => manager, configurable: true });
}
