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

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
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

// podTemplates returns the pods an object creates: itself for a Pod, its template for a workload.
func podTemplates(document []byte) ([]podTemplate, error) {
	var typeMeta metav1.TypeMeta
	if err := yaml.Unmarshal(document, &typeMeta); err != nil {
		return nil, err
	}
	name := func(meta metav1.ObjectMeta) string { return typeMeta.Kind + "/" + meta.Name }
	switch typeMeta.Kind {
	case "Pod":
		var pod corev1.Pod
		if err := yaml.Unmarshal(document, &pod); err != nil {
			return nil, err
		}
		return []podTemplate{{name(pod.ObjectMeta), &pod.ObjectMeta, &pod.Spec}}, nil
	case "Deployment":
		var object appsv1.Deployment
		if err := yaml.Unmarshal(document, &object); err != nil {
			return nil, err
		}
		return []podTemplate{{name(object.ObjectMeta), &object.Spec.Template.ObjectMeta, &object.Spec.Template.Spec}}, nil
	case "StatefulSet":
		var object appsv1.StatefulSet
		if err := yaml.Unmarshal(document, &object); err != nil {
			return nil, err
		}
		return []podTemplate{{name(object.ObjectMeta), &object.Spec.Template.ObjectMeta, &object.Spec.Template.Spec}}, nil
	case "DaemonSet":
		var object appsv1.DaemonSet
		if err := yaml.Unmarshal(document, &object); err != nil {
			return nil, err
		}
		return []podTemplate{{name(object.ObjectMeta), &object.Spec.Template.ObjectMeta, &object.Spec.Template.Spec}}, nil
	case "Job":
		var object batchv1.Job
		if err := yaml.Unmarshal(document, &object); err != nil {
			return nil, err
		}
		return []podTemplate{{name(object.ObjectMeta), &object.Spec.Template.ObjectMeta, &object.Spec.Template.Spec}}, nil
	case "CronJob":
		var object batchv1.CronJob
		if err := yaml.Unmarshal(document, &object); err != nil {
			return nil, err
		}
		template := &object.Spec.JobTemplate.Spec.Template
		return []podTemplate{{name(object.ObjectMeta), &template.ObjectMeta, &template.Spec}}, nil
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
