import { spawnSync } from 'node:child_process';

/** Whether a tool is on this machine: `<command> <versionArgs>` runs and exits 0. */
export function installed(command: string, versionArgs: readonly string[]): boolean {
  return spawnSync(command, [...versionArgs], { stdio: 'ignore' }).status === 0;
}
