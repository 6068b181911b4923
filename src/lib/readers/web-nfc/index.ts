export { NfcStartFailure, NfcTapKind, NfcTapWatcher, nfcStartError, type NdefReaderConstructor, type NdefReaderLike } from './nfc-tap-watcher';
