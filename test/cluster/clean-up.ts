// `node test/cluster/clean-up.ts`: puts the host back after test-cluster runs whose process died
// without doing it (kernel settings, network namespace, mounts, cgroups, processes). `.ci/run` calls
// it on exit; the cluster tests call it before they start.
import { cleanUpStaleClusters } from './host-state.ts';

const cleaned = cleanUpStaleClusters();
if (cleaned.length > 0) console.log(`cleaned up after test clusters: ${cleaned.join(', ')}`);
