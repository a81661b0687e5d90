/** Cloud assembly comparison and summaries live in the library; re-exported for the example. */
export { compareCloudAssemblies, summarizeCloudAssembly } from '../../lib/cloud-assembly.js';
export type { CloudAssemblyComparison, CloudAssemblySummary } from '../../lib/cloud-assembly.js';
