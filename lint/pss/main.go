// pss-check evaluates every pod template in Kubernetes YAML against a Pod Security Standards level
// with the policy code the API server's admission plugin runs (k8s.io/pod-security-admission).
//
//	pss-check [-level restricted] [-version v1.34] < manifests.yaml
//
// It prints one line per violation, "<Kind>/<name>: <reason>: <detail>", and exits 1 when any.
// Unknown fields are tolerated: checking the schema is kubeconform's job.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

type podTemplate struct {
	name string
	meta *metav1.ObjectMeta
	spec *corev1.PodSpec
}

// workload reads the pod template of any controller: spec.template (Deployment, StatefulSet,
// DaemonSet, ReplicaSet, Job) or spec.jobTemplate.spec.template (CronJob).
type workload struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        metav1.ObjectMeta `json:"metadata"`
	Spec            struct {
		Template    *corev1.PodTemplateSpec `json:"template"`
		JobTemplate *struct {
			Spec struct {
				Template corev1.PodTemplateSpec `json:"template"`
			} `json:"spec"`
		} `json:"jobTemplate"`
	} `json:"spec"`
}

// podTemplates returns the pods an object creates: itself for a Pod, its template for a workload.
func podTemplates(document []byte) ([]podTemplate, error) {
	var object workload
	if err := yaml.Unmarshal(document, &object); err != nil {
		return nil, err
	}
	name := object.Kind + "/" + object.Metadata.Name
	switch {
	case object.Kind == "Pod":
		var pod corev1.Pod
		if err := yaml.Unmarshal(document, &pod); err != nil {
			return nil, err
		}
		return []podTemplate{{name, &pod.ObjectMeta, &pod.Spec}}, nil
	case object.Spec.Template != nil:
		return []podTemplate{{name, &object.Spec.Template.ObjectMeta, &object.Spec.Template.Spec}}, nil
	case object.Spec.JobTemplate != nil:
		template := &object.Spec.JobTemplate.Spec.Template
		return []podTemplate{{name, &template.ObjectMeta, &template.Spec}}, nil
	}
	return nil, nil
}

func main() {
	level := flag.String("level", string(api.LevelRestricted), "Pod Security Standards level: privileged, baseline or restricted")
	version := flag.String("version", "latest", "policy version, e.g. v1.34")
	flag.Parse()

	parsedLevel, err := api.ParseLevel(*level)
	if err != nil {
		fail(err)
	}
	parsedVersion, err := api.ParseVersion(*version)
	if err != nil {
		fail(err)
	}
	levelVersion := api.LevelVersion{Level: parsedLevel, Version: parsedVersion}

	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		fail(err)
	}

	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	violations, pods := 0, 0
	for {
		document, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail(err)
		}
		if len(bytes.TrimSpace(document)) == 0 {
			continue
		}
		templates, err := podTemplates(document)
		if err != nil {
			fail(err)
		}
		for _, template := range templates {
			pods++
			for _, result := range evaluator.EvaluatePod(levelVersion, template.meta, template.spec) {
				if !result.Allowed {
					violations++
					fmt.Printf("%s: %s: %s\n", template.name, result.ForbiddenReason, result.ForbiddenDetail)
				}
			}
		}
	}
	if pods == 0 {
		fail(errors.New("no pod template found in the input"))
	}
	if violations > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pss-check:", err)
	os.Exit(2)
}
