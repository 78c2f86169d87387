import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ALLOWED_TAGS, markdownToTree, renderMarkdown } from '../src/lib/markdown.js';
import { parseInline, safeUrl } from '../src/lib/inline.js';

// A minimal DOM: enough to build nodes the way the browser's createElement API does and to
// serialise them with escaping, so a test can see exactly which elements and attributes exist.
class Node_ {
  constructor(tag) {
    this.tag = tag;
    this.attrs = new Map();
    this.children = [];
  }
  setAttribute(name, value) {
    this.attrs.set(name, value);
  }
  appendChild(child) {
    this.children.push(child);
    return child;
  }
}
const fakeDoc = {
  createElement: (tag) => new Node_(tag),
  createTextNode: (text) => ({ text }),
  createDocumentFragment: () => new Node_('#fragment'),
};
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function html(node) {
  if ('text' in node) return esc(node.text);
  const inner = node.children.map(html).join('');
  if (node.tag === '#fragment') return inner;
  const attrs = [...node.attrs].map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return `<${node.tag}${attrs}>${inner}</${node.tag}>`;
}
const render = (md, opts) => html(renderMarkdown(md, fakeDoc, opts));

function allTags(nodes, out = new Set()) {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    out.add(n.tag);
    allTags(n.children ?? [], out);
  }
  return out;
}

test('headings, lists, tables, bold, links and citations render as elements', () => {
  const md = '# 제목\n\n본문 **굵게** [링크](https://example.com) 수치[1]\n\n- 가\n- 나\n\n| a | b |\n|---|---|\n| 1 | 2 |';
  assert.equal(
    render(md, { citeHref: (n) => (n === 1 ? 'https://dart.fss.or.kr/' : null) }),
    '<h1>제목</h1><p>본문 <strong>굵게</strong> <a href="https://example.com/" rel="noopener noreferrer" target="_blank">링크</a> 수치' +
      '<sup data-cite="1"><a href="https://dart.fss.or.kr/" rel="noopener noreferrer" target="_blank">[1]</a></sup></p>' +
      '<ul><li>가</li><li>나</li></ul>' +
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
  );
});

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](//evil.example/x)',
  '[click](java\tscript:alert(1))',
  '**<svg onload=alert(1)>**',
  '<iframe src="https://evil.example"></iframe>',
  '```\n<script>alert(1)</script>\n```',
  '| <b onmouseover=alert(1)>x</b> | y |\n|---|---|\n| [z](javascript:1) | w |',
  '"><img src=x onerror=alert(1)>',
];

for (const payload of XSS) {
  test(`XSS payload stays inert: ${JSON.stringify(payload).slice(0, 60)}`, () => {
    const tree = markdownToTree(payload);
    for (const tag of allTags(tree)) assert.ok(ALLOWED_TAGS.has(tag), tag);
    const out = render(payload);
    assert.doesNotMatch(out, /<(script|img|svg|iframe|b)[\s>]/i);
    assert.doesNotMatch(out, /href="(?!https?:)/i);
    assert.doesNotMatch(out, /<[^>]*\son\w+=/i);
  });
}

test('raw HTML is kept as visible text, not dropped', () => {
  assert.equal(render('<b>hi</b>'), '<p>&lt;b&gt;hi&lt;/b&gt;</p>');
});

test('safeUrl accepts only absolute http(s)', () => {
  assert.equal(safeUrl('https://a.example/p?q=1'), 'https://a.example/p?q=1');
  assert.equal(safeUrl('http://127.0.0.1:8000/v1/charts/x.png'), 'http://127.0.0.1:8000/v1/charts/x.png');
  for (const bad of ['javascript:alert(1)', ' data:x', 'ftp://x', '/relative', 'https://a b', '', null, 'https://x"onmouseover=1']) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
});

test('inline parser: citations, multi-citations, escapes, nested bold link', () => {
  assert.deepEqual(parseInline('a[1, 2]b\\*c'), [
    { text: 'a' },
    { text: '[1]', cite: 1 },
    { text: '[2]', cite: 2 },
    { text: 'b*c' },
  ]);
  assert.deepEqual(parseInline('**[x](https://e.com)**'), [{ text: 'x', bold: true, link: 'https://e.com/' }]);
  assert.deepEqual(parseInline('[^3]'), [{ text: '[3]', cite: 3 }]);
});

test('no source file writes HTML strings into the DOM', () => {
  const root = new URL('..', import.meta.url).pathname;
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === 'tests' || name === 'node_modules') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|html)$/.test(name)) files.push(path);
    }
  };
  walk(root);
  assert.ok(files.length > 5);
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, file);
    if (file.endsWith('.html')) assert.doesNotMatch(source, /<script(?![^>]*\bsrc=)[^>]*>|\son\w+=/i, file);
  }
});
