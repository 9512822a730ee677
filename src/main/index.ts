// Electron host: the composition root. Builds the core once, opens one hardened window and
// bridges the route contract over a single IPC channel plus one event channel.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, type WebContents } from 'electron';
import { createCoreServices } from '#core/app.ts';
import { setImportWorkerUrl } from '#core/traces/importer.ts';
import { IPC_EVENT, IPC_REQUEST } from '#shared/bridge.ts';
import type { AppEvent } from '#shared/routes.ts';
import { dispatchRequest, isAllowedSender } from './ipcRouter.ts';
import { withHostRoutes } from './hostRoutes.ts';
import { hostPaths } from './paths.ts';
import { CSP, windowOptions } from './windowOptions.ts';
import { readBounds, writeBounds } from './windowState.ts';

type CoreServices = Awaited<ReturnType<typeof createCoreServices>>;

const here = import.meta.dirname;
// The build emits the trace importer's reading thread beside this entry (electron.vite.config.ts).
setImportWorkerUrl(new URL('./importWorker.js', import.meta.url));
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const indexHtml = join(here, '../renderer/index.html');
const allowedOrigins: string[] = devUrl ? [new URL(devUrl).origin] : [pathToFileURL(indexHtml).href];

let core: CoreServices | null = null;
let mainWindow: BrowserWindow | null = null;

function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedSender(url, allowedOrigins)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedSender(url, allowedOrigins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function createWindow(): BrowserWindow {
  const boundsFile = join(app.getPath('userData'), 'window.json');
  const bounds = readBounds(boundsFile);
  const { maximized, ...size } = bounds;
  const win = new BrowserWindow({ ...windowOptions(join(here, '../preload/index.cjs')), ...size });
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  // Size and position are remembered between launches.
  win.on('close', () => writeBounds(boundsFile, { ...win.getNormalBounds(), maximized: win.isMaximized() }));
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(indexHtml);
  return win;
}

function forward(e: AppEvent): void {
  const win = mainWindow;
  if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT, e);
}

async function start(): Promise<void> {
  const paths = hostPaths({
    isPackaged: app.isPackaged,
    userData: app.getPath('userData'),
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  });
  core = await createCoreServices({ dbPath: paths.dbPath, resourcesDir: paths.resourcesDir, env: { ...process.env }, host: 'desktop' });
  // Native dialogs answer the host.* routes; the renderer gets a result, never file access.
  const services = withHostRoutes(core, {
    async openFile() {
      const opts = {
        title: 'Open ticket file',
        properties: ['openFile' as const],
        filters: [{ name: 'Ticket files (JSONL, CSV)', extensions: ['jsonl', 'ndjson', 'json', 'csv'] }],
      };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async openTraceFile() {
      const opts = {
        title: 'Open trace file',
        properties: ['openFile' as const],
        filters: [
          { name: 'Trace files (LangSmith, Langfuse, OTLP, promptfoo, casebench)', extensions: ['json', 'jsonl', 'ndjson', 'csv'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async openFolder() {
      const opts = { title: 'Watch a folder for tickets', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // The UI needs no camera, notifications, clipboard-read, …: refuse every permission request.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  ipcMain.handle(IPC_REQUEST, (event, route: unknown, input: unknown) =>
    dispatchRequest(services, event.senderFrame?.url, allowedOrigins, route, input),
  );
  services.subscribe(forward);

  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

app.enableSandbox();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (!core || closing) return;
    closing = true;
    event.preventDefault();
    const c = core;
    core = null;
    void Promise.resolve(c.close()).finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox('casebench could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}
