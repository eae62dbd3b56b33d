/**
 * Text bound for a terminal. Names come from the workspace, and a name holding
 * ESC [ 2 J, an OSC title sequence, a carriage return or a bidi override would
 * be obeyed by the terminal instead of shown. Every control character except
 * newline and tab is written as a \uXXXX escape: visible in text, and the same
 * escape JSON uses, so JSON output stays valid and means the same.
 */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
