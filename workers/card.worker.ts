/// <reference lib="webworker" />
// Thin entry point: the card worker runs the reader drivers and the card layer.
import { expose } from 'comlink';
import { createCardWorkerApi } from '../src/lib/card/worker-api';

expose(createCardWorkerApi(performance.timeOrigin + performance.now()));
