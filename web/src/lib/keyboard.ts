/**
 * Queue keyboard shortcuts: j/k next/previous, o or Enter open, a assign to me, n note. Pure: maps a key
 * event's fields to an action, and moves a selection within bounds.
 */
export type QueueKeyAction = 'next' | 'prev' | 'open' | 'assign' | 'note';

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focused element's tag name: typing in a field is never a shortcut. */
  targetTag?: string;
  targetEditable?: boolean;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function queueKeyAction(e: KeyInput): QueueKeyAction | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (e.targetEditable || (e.targetTag && TYPING_TAGS.has(e.targetTag.toUpperCase()))) return undefined;
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'prev';
    case 'o':
    case 'Enter':
      return 'open';
    case 'a':
      return 'assign';
    case 'n':
      return 'note';
    default:
      return undefined;
  }
}

/** The selection after a move: stays within [0, count - 1]; -1 when the list is empty. */
export function moveSelection(current: number, action: 'next' | 'prev', count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return 0;
  const next = action === 'next' ? current + 1 : current - 1;
  return Math.min(count - 1, Math.max(0, next));
}
