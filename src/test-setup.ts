// Vitest runs in Node: WebCrypto comes from Node, IndexedDB from fake-indexeddb.
import 'fake-indexeddb/auto';
