/**
 * Every command, from one table: name → factory taking the context.
 */
import * as vscode from 'vscode';
import type { NetlensContext } from './context.js';

type CommandFactory = (ctx: NetlensContext) => (...args: unknown[]) => unknown;

export const COMMANDS: Record<string, CommandFactory> = {
  'netlens.restartServer': (ctx) => async () => {
    await ctx.restart();
    void vscode.window.setStatusBarMessage('Netlens: server restarted', 3000);
  },
  'netlens.showOutput': (ctx) => () => ctx.output.show(true),
};

export function registerCommands(ctx: NetlensContext, extra: Record<string, CommandFactory> = {}): void {
  for (const [name, factory] of Object.entries({ ...COMMANDS, ...extra })) {
    ctx.push(vscode.commands.registerCommand(name, factory(ctx)));
  }
}
