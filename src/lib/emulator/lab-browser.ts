// Browser bundle of the emulated lab for Playwright and integrators: replaces `navigator.usb` with the virtual
// bus before the app loads and exposes the lab as `window.mynaLab`. Built with esbuild (tests/fixtures/lab.ts).
// Set `window.mynaLabOptions = { isolated: true }` in an earlier init script to emulate an Isolated Web App
// granted `usb-unrestricted` (protected CCID interfaces become claimable).
import { createVirtualLab } from './index';
import { emulateIsolatedContext, installVirtualUsb } from './lab';
import { EmulatedSmartCardResourceManager, installEmulatedSmartCard } from './smart-card';

// `smartCard: true` (with `isolated`) also installs an emulated `navigator.smartCard` (the Web Smart Card API, which
// exists only in isolated contexts) over the lab's PC/SC readers (`mynaLab.addSmartCardReader`).
const options = (window as { mynaLabOptions?: { isolated?: boolean; smartCard?: boolean } }).mynaLabOptions ?? {};
const lab = createVirtualLab();
if (options.isolated) {
	emulateIsolatedContext(window);
	lab.defaultContext = { usbUnrestricted: true };
}
installVirtualUsb(window, lab.usb);
if (options.smartCard && options.isolated) installEmulatedSmartCard(window, new EmulatedSmartCardResourceManager(lab.pcsc));
Object.defineProperty(window, 'mynaLab', { value: lab, configurable: false, enumerable: false, writable: false });
