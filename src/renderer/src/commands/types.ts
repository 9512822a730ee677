// What a command is (the palette, the keybindings and the `?` sheet read them) and what building
// them needs. Features contribute commands of these types; src/renderer/src/commands/registry.ts
// composes them.
import type { Stores } from '../app/stores.tsx';
import type { Transport } from '../platform/transport.ts';

export type CommandCategory =
  | 'View'
  | 'Tickets'
  | 'Ticket'
  | 'Editor'
  | 'Experiments'
  | 'Review'
  | 'Traces'
  | 'Prompts'
  | 'Settings'
  | 'Help';

export interface Command {
  id: string;
  title: string;
  category: CommandCategory;
  /** Chords as parseChord reads them; the first is the one shown. */
  keys?: string[];
  /** Arrow-like keys that act only when focus is on the ticket list or nowhere in particular. */
  listKeys?: boolean;
  /** The palette hides it and keys do nothing when false. */
  enabled?: () => boolean;
  run: () => unknown;
}

export interface CommandContext {
  stores: Stores;
  transport: Transport;
  /** The browser's file picker or the desktop Open dialog. */
  openTicketFile(): void;
}
