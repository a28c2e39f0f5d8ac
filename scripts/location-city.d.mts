export const PACKAGE_NAME: string;
export function chooseDatabaseFiles(fileNames: string[]): string[];
export function envLine(files: string[]): string;
export function parseArgs(args: string[]): { help: boolean; force: boolean };
