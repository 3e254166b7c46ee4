import type { Rule } from './context.js';

/** The manifest's id as its file name implies: `handovers/2026/x.yaml` → `x`. */
export function idFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, '');
}

/** `id.matches-file`: the id is the file name, so a handover can be found and is never applied twice. */
export const idMatchesFile: Rule = (context) => {
  const id = context.read<string>(['id']);
  const expected = idFromFileName(context.file);
  if (id === undefined || id === expected) return [];
  return [
    context.atValue(
      ['id'],
      'id.matches-file',
      `\`id\` is \`${id}\` but the file is named \`${expected}\`: set \`id: ${expected}\` or rename the file to \`${id}.yaml\``,
    ),
  ];
};
