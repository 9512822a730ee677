import { describe, expect, it } from 'vitest';
import { formatChord, isTypingTarget, matchesChord, parseChord, worksWhileTyping } from './keybindings.ts';

const ev = (key: string, m: Partial<{ ctrl: boolean; meta: boolean; alt: boolean; shift: boolean }> = {}) => ({
  key,
  ctrlKey: m.ctrl ?? false,
  metaKey: m.meta ?? false,
  altKey: m.alt ?? false,
  shiftKey: m.shift ?? false,
});

describe('key chords', () => {
  it('match Ctrl+Shift+P on Linux and Cmd+Shift+P on macOS, and nothing looser', () => {
    const c = parseChord('mod+shift+p');
    expect(matchesChord(ev('P', { ctrl: true, shift: true }), c, false)).toBe(true);
    expect(matchesChord(ev('p', { meta: true, shift: true }), c, true)).toBe(true);
    expect(matchesChord(ev('p', { ctrl: true }), c, false)).toBe(false);
    expect(matchesChord(ev('p', { meta: true, shift: true }), c, false)).toBe(false);
  });
  it('treat ? as typed, whatever Shift it needed', () => {
    expect(matchesChord(ev('?', { shift: true }), parseChord('?'), false)).toBe(true);
    expect(matchesChord(ev('J', { shift: true }), parseChord('j'), false)).toBe(false);
    expect(matchesChord(ev('ArrowDown'), parseChord('down'), false)).toBe(true);
  });
  it('read well on screen', () => {
    expect(formatChord('mod+shift+p', false)).toBe('Ctrl+Shift+P');
    expect(formatChord('mod+shift+p', true)).toBe('⇧⌘P');
    expect(formatChord('down', false)).toBe('↓');
    expect(formatChord('enter', false)).toBe('Enter');
  });
  it('keep bare keys out of text fields but let modified chords through', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(worksWhileTyping(parseChord('j'))).toBe(false);
    expect(worksWhileTyping(parseChord('mod+enter'))).toBe(true);
  });
  it('refuses malformed chords', () => {
    expect(() => parseChord('hyper+x')).toThrow(/modifier/);
  });
});
