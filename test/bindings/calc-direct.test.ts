/**
 * The calc feature suite on our kernel in this thread (`DirectConnection`, client ids on).
 */
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { registerCalcSuite } from './helpers/calc-suite.js';

registerCalcSuite({ name: 'direct', connect: () => new DirectConnection(), libraryFrames: true });
