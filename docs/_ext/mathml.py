"""Render ``:math:`` and ``.. math::`` as MathML when the HTML is written.

Browsers display MathML themselves, so the pages need no JavaScript and no CDN:
equations show the same offline as online. The LaTeX is converted by
`latex2mathml <https://pypi.org/project/latex2mathml/>`__; LaTeX it cannot read
is reported as a Sphinx warning (an error under ``-W``), so a broken equation
fails the build instead of showing up broken in a reader's browser.

Multi-line equations follow the conventions of ``sphinx.ext.mathjax``: lines
separated by ``\\\\`` are aligned on ``&``, and paragraphs separated by a blank
line become separate equations.
"""

import html
import re
import unicodedata

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

# What latex2mathml writes for LaTeX it does not know instead of raising: the
# command itself as an identifier (``<mi>\foo</mi>``), or a bare alignment ``&``
# (e.g. inside ``aligned``, which it does not support).
_NOT_CONVERTED = re.compile(r"<m[ion]>(\\[A-Za-z]+|&)</m[ion]>")


# ``\mathcal N`` without braces comes out as <mi mathvariant="script">N</mi>, with them as
# the letter itself (U+1D4A9), which is what browsers need: MathML Core ignores mathvariant.
_ALPHABET_NO_BRACES = re.compile(r"\\(math[a-z]+|boldsymbol)\s+([A-Za-z])")
_MATHVARIANT = re.compile(r'<mi mathvariant="([a-z-]+)">([A-Za-z])</mi>')
_VARIANT_NAMES = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "script": "SCRIPT",
                  "bold-script": "BOLD SCRIPT", "double-struck": "DOUBLE-STRUCK", "fraktur": "FRAKTUR",
                  "sans-serif": "SANS-SERIF", "monospace": "MONOSPACE"}


def _styled_letter(match):
    """The Unicode mathematical letter for a letter with a mathvariant, which browsers ignore."""
    variant, letter = match.groups()
    if variant == "normal":
        return match.group(0)
    case = "CAPITAL" if letter.isupper() else "SMALL"
    name = f"{_VARIANT_NAMES.get(variant, variant.upper())} {case} {letter.upper()}"
    for candidate in (f"MATHEMATICAL {name}", name):  # a few letters live outside the math block
        try:
            return f"<mi>{unicodedata.lookup(candidate)}</mi>"
        except KeyError:
            pass
    return match.group(0)


def _to_mathml(latex, display, node):
    latex = _ALPHABET_NO_BRACES.sub(r"\\\1{\2}", latex)
    try:
        mathml = _MATHVARIANT.sub(_styled_letter, convert(latex, display=display))
    except Exception as exc:  # latex2mathml raises several exception types
        logger.warning(f"cannot convert this math to MathML ({type(exc).__name__}: {exc}): {latex}", location=node)
        return f"<code>{html.escape(latex)}</code>"
    unknown = _NOT_CONVERTED.search(mathml)
    if unknown:
        logger.warning(f"MathML conversion does not support {unknown.group(1)!r} in: {latex}", location=node)
        return f"<code>{html.escape(latex)}</code>"
    return mathml


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_to_mathml(node.astext(), "inline", node))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    if node.get("no-wrap", node.get("nowrap", False)):
        parts = [node.astext()]
    else:
        parts = [part for part in node.astext().split("\n\n") if part.strip()]
    for part in parts:
        if r"\\" in part and r"\begin" not in part:
            part = r"\begin{split}" + part + r"\end{split}"
        self.body.append(_to_mathml(part, "block", node))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.add_css_file("mathml.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
