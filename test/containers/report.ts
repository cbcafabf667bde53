// The container report: what each spec built, how long it took, and what it could not build and why.
// Printed once, after every container spec ran (containers.spec.ts).
export const containerReport: string[] = [];
