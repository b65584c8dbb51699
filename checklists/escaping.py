"""One escaping function per kind of output, used by every place that writes one.

Names of files, case folders, institutions and letterhead lines come from uploads and may
be written by an attacker: `![x](//host/x.png)` in a file name became a remote image (a
beacon telling who opened the case), `=HYPERLINK(...)` in a user name became a formula in
the audit export, a case folder `javascript:...` a script link in the batch index. Every
sink passes such text through the function of its output kind:

- `html_text`: text inside HTML elements or quoted attributes.
- `markdown_text`: text inside Markdown (reports, Streamlit labels and captions): every
  character Markdown could read as syntax is backslash-escaped (links, images, emphasis,
  code, tables, raw HTML, autolinks, Streamlit's `:color[...]`, `$math$`), on one line.
- `html_in_markdown`: text inside HTML that a Markdown renderer reads first (Streamlit's
  `st.markdown(..., unsafe_allow_html=True)`): HTML-escaped, then Markdown punctuation as
  numeric character references, which Markdown never reads as syntax.
- `csv_cell`: a spreadsheet cell: text a spreadsheet would run as a formula gets a leading
  apostrophe (OWASP's advice); numbers stay numbers.
- `href_path`: a relative link to a folder name: percent-encoded path segments behind
  `./`, so no name can become a scheme (`javascript:`) or leave the folder.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

# Characters that start Markdown syntax anywhere in a line: emphasis, code, links and
# images (their `[`), tables, strikethrough, raw HTML and autolinks, Streamlit's math. The
# rest of prose (dots, dashes, colons, parentheses) stays bare so reports stay readable.
_MARKDOWN_INLINE = frozenset("\\`*_[]|~<>$")
# Syntax only at the start of a line: headings, lists, quotes, setext underlines.
_MARKDOWN_LINE_START = frozenset("#+-=>")
# Bare-URL autolinks (GFM): broken by escaping their colon or dot.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")

# Characters Markdown (CommonMark, GFM autolinks, Streamlit's directives, emoji codes and
# math) can read as syntax anywhere in a line; `&`, `<`, `>`, `"` and `'` are already
# escaped by html.escape. Dots and dashes stay bare (they are everywhere in prose): the
# only syntax they start mid-line is a `www.` autolink, broken by encoding that dot.
_MARKDOWN_ACTIVE = frozenset("\\`*_{}[]()!|~:$@^")
# Syntax only at the start of a line: headings, lists, quotes, setext underlines.
_LINE_START = frozenset("#+-=>0123456789")
# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
_FORMULA_START = frozenset("=+-@\t\r\n")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def html_text(value: object) -> str:
    return html.escape(_text(value), quote=True)


def markdown_text(value: object) -> str:
    """`value` as literal Markdown text on one line."""
    flat = " ".join(_text(value).split())
    out = "".join(
        "\\" + ch if ch in _MARKDOWN_INLINE and not _intraword_underscore(flat, i) else ch
        for i, ch in enumerate(flat)
    )
    out = _AUTOLINK.sub(lambda m: "\\" + m.group(0), out)
    if out[:1] in _MARKDOWN_LINE_START:
        out = "\\" + out
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", out)


def _intraword_underscore(text: str, i: int) -> bool:
    """`snake_case`: an underscore between letters or digits is never emphasis."""
    return (
        text[i] == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
    )


def html_in_markdown(value: object) -> str:
    text = html_text(value)
    out = "".join(f"&#{ord(ch)};" if ch in _MARKDOWN_ACTIVE else ch for ch in text)
    out = re.sub(r"(?i)\bwww\.", lambda w: w.group(0)[:3] + "&#46;", out)
    if out[:1] in _LINE_START:
        out = f"&#{ord(out[0])};" + out[1:]
    return out.replace("\n", "<br>")


def csv_cell(value: object) -> object:
    """A value for csv.writer: strings that a spreadsheet would evaluate are defused."""
    if not isinstance(value, str) or not value:
        return "" if value is None else value
    if value[0] in _FORMULA_START or value.lstrip()[:1] in _FORMULA_START:
        return "'" + value
    return value


def csv_row(values: list[object] | tuple[object, ...]) -> list[object]:
    return [csv_cell(v) for v in values]


def href_path(*segments: str) -> str:
    """A relative URL to `segments` joined as folders, safe in an href attribute."""
    return "./" + "/".join(quote(s, safe="") for s in segments)


def markdown_fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in `text` (it cannot be closed early)."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)
