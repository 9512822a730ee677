// Where the Electron host keeps its data and finds shipped resources.
import { join } from 'node:path';

export interface HostPaths {
  dbPath: string;
  resourcesDir: string;
}

export function hostPaths(o: { isPackaged: boolean; userData: string; appPath: string; resourcesPath: string }): HostPaths {
  return {
    dbPath: join(o.userData, 'casebench.db'),
    // Packaged builds ship resources/ as extraResources; in dev they sit in the repository.
    resourcesDir: o.isPackaged ? o.resourcesPath : join(o.appPath, 'resources'),
  };
}
