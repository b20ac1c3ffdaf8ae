// The house rule of ../shared/DESIGN.md, checked on every import, export-from and
// dynamic import: main, renderer and sync-server import only themselves and shared;
// shared imports none of them. shared and renderer also stay free of Node built-ins and
// Electron, since they must run in a browser (renderer) or anywhere (shared).
import { builtinModules } from 'node:module';
import path from 'node:path';

const LAYERS = ['main', 'renderer', 'sync-server', 'shared'];
const ALLOWED = {
  main: new Set(['main', 'shared']),
  renderer: new Set(['renderer', 'shared']),
  'sync-server': new Set(['sync-server', 'shared']),
  shared: new Set(['shared']),
};
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NO_NODE = new Set(['shared', 'renderer']);

function layerOf(file, root) {
  const rel = path.relative(root, file);
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(path.sep)[0];
  return LAYERS.includes(top) ? top : undefined;
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer boundaries between main, renderer, sync-server and shared' },
    schema: [],
    messages: {
      crossLayer: '"{{from}}" may not import from "{{to}}" ({{source}}): {{from}} imports only {{allowed}}.',
      nodeBuiltin: '"{{from}}" must not use Node built-in "{{source}}": it runs without Node.',
      electron: '"{{from}}" must not import Electron: only main does.',
    },
  },
  create(context) {
    const filename = context.filename;
    const root = context.cwd;
    const from = layerOf(filename, root);
    if (!from) return {};
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.') || path.isAbsolute(source)) {
        const target = path.resolve(path.dirname(filename), source);
        const to = layerOf(target, root);
        if (to && !ALLOWED[from].has(to)) {
          context.report({
            node,
            messageId: 'crossLayer',
            data: { from, to, source, allowed: [...ALLOWED[from]].join(' and ') },
          });
        } else if (!to) {
          context.report({
            node,
            messageId: 'crossLayer',
            data: { from, to: path.relative(root, target) || '.', source, allowed: [...ALLOWED[from]].join(' and ') },
          });
        }
        return;
      }
      if (NO_NODE.has(from) && NODE_BUILTINS.has(source)) {
        context.report({ node, messageId: 'nodeBuiltin', data: { from, source } });
      }
      if (from !== 'main' && (source === 'electron' || source.startsWith('electron/'))) {
        context.report({ node, messageId: 'electron', data: { from } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: layersRule } };
