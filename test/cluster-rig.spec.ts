// The cluster rig's pure parts, without a cluster: how image names map onto the local registry, and
// which kernel settings a run records to put back.
import assert from 'node:assert/strict';
import { registryPath } from './cluster/cluster.ts';
import { GLOBAL_SYSCTLS, readSysctls } from './cluster/host-state.ts';

describe('the cluster rig', () => {
  it('serves an image under the path its name implies on Docker Hub or its own registry', () => {
    assert.equal(registryPath('orders:0.1.0'), 'library/orders:0.1.0');
    assert.equal(registryPath('team/orders:0.1.0'), 'team/orders:0.1.0');
    assert.equal(registryPath('registry.k8s.io/pause:3.10.1'), 'pause:3.10.1');
    assert.equal(registryPath('localhost:5000/orders:1'), 'orders:1');
    assert.equal(registryPath('registry.example.com/team/orders:2'), 'team/orders:2');
  });

  it('records the global kernel settings the kubelet changes', () => {
    const recorded = readSysctls();
    for (const name of ['vm/overcommit_memory', 'kernel/panic', 'kernel/panic_on_oops']) {
      assert.ok(GLOBAL_SYSCTLS.includes(name as (typeof GLOBAL_SYSCTLS)[number]), `${name} is not recorded`);
      assert.match(recorded[name] ?? '', /^\d+$/, `${name} could not be read`);
    }
  });
});
