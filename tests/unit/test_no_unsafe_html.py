"""No stored text may reach the browser as HTML (issue 4): the code is scanned for it.

Every call with ``unsafe_allow_html=True``, and every ``st.html``/``components.html`` call, in
app.py, pages/ and dashboard/ must render a constant: a string literal, or an f-string
whose every placeholder is itself a literal, or what a named escaping renderer returns.
Anything else built from a variable could carry a title or comment someone typed, so it fails
here with file and line. The read-only HTML blocks (issue 15) are ``markupsafe.Markup``
built by dashboard/html_blocks.py, whose ``format`` and ``join`` escape whatever is not
``Markup`` already; so ``Markup(...)`` itself may only wrap a literal template.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").rglob("*.py")]
)
HTML_FUNCTIONS = {"html"}  # st.html(...), components.html(...)
# Renderers that escape every stored text they are given, each with its own test that typed
# markup stays text: the citizens' article (tests/unit/test_static_html.py) and the read-only
# blocks of the pages (tests/unit/test_html_blocks.py).
ESCAPING_RENDERERS = {("static_html", "fragment"), ("html_blocks", "render")}


def _is_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(part, ast.Constant)
            or (isinstance(part, ast.FormattedValue) and _is_constant(part.value))
            for part in node.values
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = node.func.value
        return isinstance(owner, ast.Name) and (owner.id, node.func.attr) in ESCAPING_RENDERERS
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_constant(node.left) and _is_constant(node.right)
    return False


def _rendered(call: ast.Call) -> list[ast.AST]:
    """What the call renders: its first argument and any body=/html= keyword."""
    values = call.args[:1]
    values += [k.value for k in call.keywords if k.arg in {"body", "html"}]
    return values


def unsafe_calls(source: str, filename: str) -> list[str]:
    """``file:line`` of each HTML-rendering call whose content is not a constant."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        allows_html = any(
            k.arg == "unsafe_allow_html"
            and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        )
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if (allows_html or name in HTML_FUNCTIONS) and not all(map(_is_constant, _rendered(node))):
            found.append(f"{filename}:{node.lineno}")
    return found


def test_the_scan_sees_the_dangerous_shapes():
    dangerous = """
st.markdown(comment, unsafe_allow_html=True)
st.markdown(f"<b>{row['title']}</b>", unsafe_allow_html=True)
st.write("<i>" + title, unsafe_allow_html=flag)
st.html(comment)
components.html(body=page)
"""
    harmless = """
st.markdown("<style>.x{}</style>", unsafe_allow_html=True)
st.markdown(f"<b>{'fast'}</b>", unsafe_allow_html=True)
st.markdown(comment)
st.markdown(comment, unsafe_allow_html=False)
st.html("<hr>")
st.html(static_html.fragment(content, at))
st.html(html_blocks.render(heading, table))
"""
    assert unsafe_calls(dangerous, "x.py") == [f"x.py:{n}" for n in range(2, 7)]
    assert unsafe_calls(harmless, "y.py") == []


def markup_from_variables(source: str, filename: str) -> list[str]:
    """``file:line`` of each ``Markup(...)`` whose argument is not a literal: Markup marks
    text as safe HTML, so only the builders' own templates may become one."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if name == "Markup" and not all(
            isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args
        ):
            found.append(f"{filename}:{node.lineno}")
    return found


def test_the_scan_sees_markup_made_from_a_variable():
    source = """
Markup("<p>{}</p>").format(title)
Markup(title)
markupsafe.Markup(f"<b>{title}</b>")
"""
    assert markup_from_variables(source, "x.py") == ["x.py:3", "x.py:4"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_html_is_built_from_data(path):
    source, name = path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
    assert unsafe_calls(source, name) == []
    assert markup_from_variables(source, name) == []
