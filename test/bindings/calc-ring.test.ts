/**
 * The calc feature suite on the default transport: our kernel in a worker thread behind
 * the shared-memory rings, with client ids and real pipelining (alias notices and
 * pipelined failures arrive later than the calls that caused them).
 */
import { KernelClient } from '../../lib/host/kernel-client.js';
import { registerCalcSuite } from './helpers/calc-suite.js';

registerCalcSuite({ name: 'ring', connect: () => KernelClient.start(), libraryFrames: true });
