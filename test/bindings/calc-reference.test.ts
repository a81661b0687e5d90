/**
 * The calc feature suite on the reference `@jsii/runtime`, driven over stdio: no client
 * ids (every object-producing call is a sync point), packages loaded from tarballs made
 * with `npm pack`.
 */
import { KernelClient } from '../../lib/host/kernel-client.js';
import { registerCalcSuite } from './helpers/calc-suite.js';

registerCalcSuite({
  name: 'reference',
  connect: () => KernelClient.start({ transport: 'stdio', stdioKernel: 'reference' }),
  libraryFrames: false,
});
