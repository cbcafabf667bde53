// Whether a generated service's source sets a default value: as a string literal in code ('8080',
// "8080"), or as a value in a properties file (server.port=${port:8080}, config-dir=/etc/app/config).
export function definesDefault(source: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`['"]${escaped}['"]|[=:]${escaped}\\}?$`, 'm').test(source);
}
