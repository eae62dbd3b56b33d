/**
 * Typed access to the extension's settings (the server reads its own copy
 * through workspace/configuration).
 */
import * as vscode from 'vscode';

export type TraceSetting = 'off' | 'messages' | 'verbose';

export const settings = {
  trace(): TraceSetting {
    return vscode.workspace.getConfiguration('netlens').get<TraceSetting>('trace.server', 'off');
  },
  cni(): string {
    return vscode.workspace.getConfiguration('netlens').get<string>('cni', 'auto');
  },
};
