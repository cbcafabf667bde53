// The sandbox ("pause") program of the test cluster's pods: PID 1 of each pod's sandbox, which holds
// the pod's namespaces. No registry is reachable here, so the rig builds its own: it waits for
// SIGINT or SIGTERM and reaps the children it inherits, as registry.k8s.io/pause does.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			return
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
