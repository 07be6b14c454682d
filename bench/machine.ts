/** A description of the machine the benchmark ran on (for the JSON and docs/PERFORMANCE.md). */
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  logicalCores: number;
  cpuMHz: number;
  totalMemGiB: number;
  node: string;
  platform: string;
  kernel: string;
  loadAvg: number[];
}

export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    logicalCores: list.length,
    cpuMHz: list[0]?.speed ?? 0,
    totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    kernel: release(),
    loadAvg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
