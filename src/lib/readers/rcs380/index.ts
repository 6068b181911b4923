export { rcs380ReaderDriver, Rcs380ReaderDriver, Rcs380Models, SONY_VENDOR_ID, type Rcs380OpenOptions } from './rcs380-reader-driver';
export { Rcs380TypeBLink, RCS380_LIMITS } from './rcs380-type-b-link';
export {
	Port100Chipset,
	Port100Command,
	Port100CommStatus,
	Port100ProtocolSetting,
	Port100RfSetting,
	Port100Timing,
	inCommRfTimeoutUnits
} from './port100-chipset';
export { decodePort100Frame, encodePort100Frame, PORT100_ACK, PORT100_ERROR_FRAME, PORT100_MAX_DATA, type Port100Frame } from './port100-frame';
