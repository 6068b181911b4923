/** The Web Smart Card API route (`navigator.smartCard`, isolated contexts only): see facts/readers.md §2. */
export * from './smart-card-api';
export * from './smart-card-errors';
export * from './smart-card-channel';
export * from './smart-card-reader-states';
export * from './smart-card-reader-watcher';
export * from './smart-card-connection-ops';
export * from './smart-card-reader-connection';
