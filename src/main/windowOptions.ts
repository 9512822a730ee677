// The main window's options, kept pure so tests can assert the security settings without Electron.
import type { BrowserWindowConstructorOptions } from 'electron';
import { CSP } from '#shared/csp.ts';

export { CSP };

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 840,
    minWidth: 880,
    minHeight: 560,
    title: 'casebench',
    show: false, // shown on ready-to-show, so no white flash
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
