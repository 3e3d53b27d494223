import { describe, expect, it } from 'vitest';
import { decodeEntities } from '../../src/feeds/entities.js';
import { htmlToLine, htmlToText } from '../../src/feeds/html-text.js';

describe('htmlToText', () => {
  it.each([
    ['plain text unchanged', 'Just words.', 'Just words.'],
    ['tags removed', '<p>A <b>bold</b> <a href="/x">link</a></p>', 'A bold link'],
    [
      'scripts and styles dropped with contents',
      '<p>Keep</p><script>var a = "<p>no</p>";</script><style>p{}</style><p>this</p>',
      'Keep\nthis',
    ],
    ['noscript dropped', 'A<noscript><img src=x>Enable JS</noscript>B', 'AB'],
    ['paragraphs become lines', '<p>One.</p><p>Two.</p>', 'One.\nTwo.'],
    ['br becomes a line break', 'line one<br/>line two<br>line three', 'line one\nline two\nline three'],
    ['blank lines collapse', '<p>One</p>\n\n\n<p></p><div>\n</div><p>Two</p>', 'One\nTwo'],
    ['whitespace collapses', '  many    spaces\tand\ttabs  ', 'many spaces and tabs'],
    ['named entities', 'Fish &amp; chips &mdash; &eacute;t&eacute; &hellip;', 'Fish & chips — été …'],
    ['numeric entities, decimal and hex', '&#8220;quoted&#8221; &#x2019;s &#x1F600;', '“quoted” ’s 😀'],
    ['Windows-1252 numeric references', 'a&#150;b &#147;c&#148;', 'a–b “c”'],
    ['nbsp collapses as a space', 'a&nbsp;&nbsp;b', 'a b'],
    ['unknown entity kept', 'AT&T; and &bogus;', 'AT&T; and &bogus;'],
    ['bare ampersand kept', 'R&D costs', 'R&D costs'],
    ['a lone < is text', 'a < b and 3 <4', 'a < b and 3 <4'],
    ['escaped markup stays text', '&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['comments dropped', 'a<!-- hidden <p>x</p> -->b', 'ab'],
    ['CDATA text kept', 'x<![CDATA[ y ]]>z', 'x y z'],
    ['quoted > inside attributes', '<a title="a > b" href="/">link</a>', 'link'],
    ['list items on their own lines', '<ul><li>one</li><li>two</li></ul>', 'one\ntwo'],
    ['empty input', '', ''],
    ['an unclosed iframe drops only its tag', '<p>Before</p><iframe src="/v"><p>After</p>', 'Before\nAfter'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('htmlToLine keeps everything on one line', () => {
    expect(htmlToLine('<p>Title</p><p>continues</p>')).toBe('Title continues');
  });

  it('decodeEntities maps invalid code points to U+FFFD', () => {
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\uFFFD\uFFFD\uFFFD');
  });
});
