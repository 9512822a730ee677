// Sandboxed preload: exposes window.api = { request, on } and nothing else. It may import only
// `electron` at run time; everything from src/shared is types (channel names are checked literals).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CasebenchApi, IpcEventChannel, IpcRequestChannel } from '#shared/bridge.ts';
import type { AppEvent } from '#shared/routes.ts';

const REQUEST: IpcRequestChannel = 'casebench:request';
const EVENT: IpcEventChannel = 'casebench:event';

const api: CasebenchApi = {
  request: (route, input) => ipcRenderer.invoke(REQUEST, route, input),
  on(listener) {
    if (typeof listener !== 'function') throw new TypeError('window.api.on expects a function');
    // Never hand the IpcRendererEvent (with its sender) to the page.
    const wrapped = (_event: IpcRendererEvent, e: AppEvent): void => listener(e);
    ipcRenderer.on(EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
