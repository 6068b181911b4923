export { PkiDatabase, PkiDbInfo, type PkiDatabaseEvents, type PkiDatabaseOptions, type PkiDbSchema, type AnchorRecord } from './pki-database';
export { CrlStore, type CrlFetch, type CrlImportOptions, type CrlImportResult, type CrlStatus } from './crl-store';
export { SettingsStore, normalizeCrlUrl, SettingsLimits, type ExtraAnchor } from './settings-store';
export { toStorageError } from './storage-error';
