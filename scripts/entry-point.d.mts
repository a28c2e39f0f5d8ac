export function isEntryPoint(moduleUrl: string): boolean;
