// Browser bundle of the emulated lab for Playwright and integrators: replaces `navigator.usb` with the virtual
// bus before the app loads and exposes the lab as `window.mynaLab`. Built with esbuild (tests/fixtures/lab.ts).
import { createVirtualLab } from './index';
import { installVirtualUsb } from './lab';

const lab = createVirtualLab();
installVirtualUsb(window, lab.usb);
Object.defineProperty(window, 'mynaLab', { value: lab, configurable: false, enumerable: false, writable: false });
