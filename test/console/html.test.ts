/** html.ts: what a page is made of — interpolated text is escaped, markup from templates is kept. */
import { expect } from 'chai';
import { escapeHtml, html, query } from '../../src/console/html.js';

describe('console html (escaping)', () => {
  it('escapes & < > " and \' in text', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).to.equal('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('escapes every interpolated string, in text and in attributes, and keeps nested templates', () => {
    const alias = '"><script>alert(1)</script>';
    const cell = html`<td title="${alias}">${alias}</td>`;
    expect(cell.toString()).to.equal('<td title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html`<tr>${cell}</tr>`.toString()).to.equal(`<tr>${cell.toString()}</tr>`);
  });

  it('renders lists, numbers, and nothing for undefined, null and booleans', () => {
    expect(html`${['<a>', html`<b>`, 3]}|${undefined}${null}${false}${true}|${0}`.toString()).to.equal('&lt;a&gt;<b>3||0');
  });

  it('a plain string never passes as markup (only html templates make Html)', () => {
    const fake = { toString: () => '<i>' } as unknown as string;
    expect(html`${fake}`.toString()).to.equal('&lt;i&gt;');
  });

  it('query(): only the given, non-empty parameters, encoded', () => {
    expect(query({ a: 'x y', b: undefined, c: '', d: 7 })).to.equal('?a=x+y&d=7');
    expect(query({})).to.equal('');
  });
});
