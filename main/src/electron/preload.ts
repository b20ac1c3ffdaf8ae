// The preload of every window, bundled to CommonJS for a sandboxed renderer (no Node, only
// 'electron' in require). It exposes exactly three functions to the page, nothing else:
//   window.clinique.invoke(channel, request) -> Promise<envelope>
//   window.clinique.onEvent(callback)        -> unsubscribe function
//   window.clinique.pickPaths({kind, title}) -> Promise<string[]> (open dialog of the imaging import)
// Only the contract's channel and event names pass; main checks the sender frame and the
// dispatcher validates every request. No zod here: names come from the dependency-free list.
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import { isApiChannel, isApiEvent } from '../../../shared/src/api/channels';
import { IPC_EVENT, IPC_INVOKE } from './ipc';
import { IPC_PICK_PATHS } from './pick-paths';

type EventCallback = (event: string, payload: unknown) => void;

const api = {
  invoke(channel: unknown, request: unknown): Promise<unknown> {
    if (!isApiChannel(channel)) return Promise.reject(new Error('unknown API channel'));
    return ipcRenderer.invoke(IPC_INVOKE, channel, request) as Promise<unknown>;
  },
  onEvent(callback: unknown): () => void {
    if (typeof callback !== 'function') throw new TypeError('onEvent needs a function');
    const cb = callback as EventCallback;
    // The IpcRendererEvent never reaches the page (it carries the sender object).
    const listener = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (isApiEvent(name)) cb(name, payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, listener);
    };
  },
  // Main parses the request and checks the sender frame (pick-paths.ts).
  pickPaths(request: unknown): Promise<unknown> {
    return ipcRenderer.invoke(IPC_PICK_PATHS, request) as Promise<unknown>;
  },
};

contextBridge.exposeInMainWorld('clinique', api);
