/**
 * Extension entry point: builds the context, registers commands, starts the
 * language server.
 */
import type * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { NetlensContext } from './context.js';
import { GRAPH_COMMANDS } from './graphCommands.js';
import { StatusBar } from './statusBar.js';
import { WhatIfStatus } from './whatIfStatus.js';

let context: NetlensContext | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  context = new NetlensContext(extension);
  extension.subscriptions.push(context);
  registerCommands(context, GRAPH_COMMANDS);
  context.push(new StatusBar(context));
  context.push(new WhatIfStatus(context));
  await context.start();
}

export async function deactivate(): Promise<void> {
  context?.dispose();
  context = undefined;
}
