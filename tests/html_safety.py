"""What a browser would run in a page or a feed: the eyes of tests/test_xss.py.

Pages are parsed with html5lib, which follows the HTML standard's parsing
algorithm, error recovery included (where mutation tricks live), so the
elements and attributes walked here are the ones a browser would build from
the same bytes. Feeds are parsed as XML, then the HTML they carry is parsed
as a browser-based feed reader would.

Each function returns a list of problems (empty when safe), written so a
failing assertion says where the danger is.
"""

import json
import re
import xml.etree.ElementTree as ET

import html5lib
from django.conf import settings
from django.urls import reverse

HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
XLINK = "{http://www.w3.org/1999/xlink}"

SAFE_SCHEMES = {"http", "https", "mailto"}
# Elements that run code, load another document into the page, re-point its links, or
# bring styles the site's Content-Security-Policy forbids (CSS can leak and mislead).
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "style",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    f"{XLINK}href",
}
# <meta> whose content is an address a browser or crawler follows.
URL_METAS = {"og:url", "og:image", "twitter:image", "article:author"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
SVG_ANIMATIONS = {"animate", "set", "animateMotion", "animateTransform", "handler", "listener"}
# The URL parser drops these anywhere in an address ("java\tscript:" is javascript:)
# and C0 controls and spaces at either end.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url):
    """The scheme a browser would read in ``url`` (entities already decoded), or ``""``."""
    cleaned = _URL_IGNORED.sub("", url).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def unsafe_url(url):
    return url_scheme(url) not in SAFE_SCHEMES | {""}


def _name(element):
    """``(namespace, local name)`` of an html5lib etree element."""
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return None, None
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        return f"{{{namespace}}}", local
    return HTML, tag


def _describe(element):
    attrs = " ".join(f"{k}={v!r}" for k, v in element.attrib.items())
    return f"<{_name(element)[1]}{' ' if attrs else ''}{attrs}>"


def _own_script(src):
    """The site's own code: its static files, or the admin's translation catalog."""
    if src.startswith(settings.STATIC_URL) and "//" not in src:
        return True
    return src == reverse("admin:jsi18n")


def _script_problem(element):
    script_type = element.get("type", "").strip().lower()
    text = element.text or ""
    if script_type in DATA_SCRIPT_TYPES:
        try:
            json.loads(text)
        except ValueError:
            return f"a {script_type} block that is no longer valid JSON (broken out of?): {text!r}"
        return None
    if _own_script(element.get("src", "")) and not text.strip():
        return None
    return f"an executable script {_describe(element)} {text!r}"


def _dangerous_addresses(attribute, local, value):
    if attribute in URL_ATTRIBUTES or local in URL_ATTRIBUTES:
        return unsafe_url(value)
    if local == "srcset":  # "a.jpg 1x, b.jpg 2x"
        return any(unsafe_url(c.split()[0]) for c in value.split(",") if c.split())
    return False


def _element_problems(element):
    namespace, name = _name(element)
    if name is None:
        return []
    problems = []
    if namespace in (SVG, MATHML):
        # Inline SVG is fine (the admin's icons); script in it, and animations that
        # can rewrite an attribute into a handler or a javascript: link, are not.
        if name == "script":
            problems.append(f"an executable SVG script {_describe(element)}")
        elif name in SVG_ANIMATIONS or name in FORBIDDEN_ELEMENTS:
            problems.append(f"a forbidden SVG element {_describe(element)}")
    elif name == "script":
        problem = _script_problem(element)
        if problem:
            problems.append(problem)
    elif name in FORBIDDEN_ELEMENTS:
        problems.append(f"a forbidden element {_describe(element)}")
    elif name == "meta" and element.get("http-equiv", "").strip().lower() == "refresh":
        problems.append(f"a refresh {_describe(element)}")
    elif (
        name == "link"
        and element.get("rel", "").strip().lower() in ("import", "stylesheet")
        and not element.get("href", "").startswith(settings.STATIC_URL)
    ):
        problems.append(f"a foreign stylesheet or import {_describe(element)}")
    if (
        name == "meta"
        and (element.get("property") or element.get("name")) in URL_METAS
        and unsafe_url(element.get("content", ""))
    ):
        problems.append(f"a dangerous address in {_describe(element)}")
    for attribute, value in element.attrib.items():
        local = attribute.rsplit("}", 1)[-1].lower()
        if local.startswith("on"):
            problems.append(f"an event handler {attribute} in {_describe(element)}")
        elif local in ("style", "srcdoc"):
            problems.append(f"a {local} attribute in {_describe(element)}")
        elif _dangerous_addresses(attribute, local, value):
            problems.append(f"a dangerous address in {_describe(element)}")
    return problems


def _parser():
    return html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)


def parse_html(markup):
    # scripting=True: <noscript> holds raw text, as in a browser that runs JavaScript
    # (the one an attacker cares about).
    return _parser().parse(markup, scripting=True)


def html_problems(page, *, fragment=False):
    """What in ``page`` (markup, or a tree from ``parse_html``) could run; ``fragment``
    for a part of a page, such as a feed's content."""
    if isinstance(page, str):
        page = _parser().parseFragment(page, scripting=True) if fragment else parse_html(page)
    problems = []
    for element in page.iter():
        problems.extend(_element_problems(element))
    return problems


def elements(root, name):
    return root.iter(f"{HTML}{name}")


def by_id(root, element_id):
    return next((e for e in root.iter() if e.get("id") == element_id), None)


def by_class(root, class_name):
    return [e for e in root.iter() if class_name in (e.get("class") or "").split()]


def text_of(element):
    """Visible text of an element, with line breaks as spaces and spaces collapsed."""

    def walk(node):
        if not isinstance(node.tag, str):  # an HTML comment: only its tail is text
            return
        if node.tag == f"{HTML}br":
            yield " "
        yield node.text or ""
        for child in node:
            yield from walk(child)
            yield child.tail or ""

    return " ".join("".join(walk(element)).split())


def json_ld(root):
    """The JSON-LD blocks of a parsed page, decoded."""
    return [
        json.loads(script.text or "")
        for script in elements(root, "script")
        if script.get("type") == "application/ld+json"
    ]


# Feeds: where each format carries HTML, and where it carries addresses.
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def feed_problems(xml_bytes):
    """Dangers in an RSS 2.0 or Atom document: in the HTML it carries, and in its links.

    ``ET.fromstring`` raising is a problem too: a feed that a payload broke is
    not well-formed XML any more.
    """
    root = ET.fromstring(xml_bytes)  # noqa: S314  (our own output, not untrusted XML)
    html_parts, urls = [], []
    if root.tag == "rss":
        # Readers take a description for HTML, the channel's as an item's; titles
        # hold no HTML (the RSS Advisory Board's reading of the specification).
        html_parts += [e.text or "" for e in root.iterfind("channel/description")]
        for item in root.iter("item"):
            html_parts += [e.text or "" for e in (item.find("description"),) if e is not None]
            html_parts += [e.text or "" for e in item.iter(f"{CONTENT}encoded")]
            urls += [e.text or "" for e in item.iter("link")]
            urls += [e.get("url", "") for e in item.iter("enclosure")]
        urls += [e.text or "" for e in root.iter("link")]
    elif root.tag == f"{ATOM}feed":
        # Atom says which text is HTML (type="html"): the feed's own title, subtitle
        # and rights as much as an entry's.
        for tag in ("title", "subtitle", "rights", "summary", "content"):
            for element in root.iter(f"{ATOM}{tag}"):
                if element.get("type") == "html":
                    html_parts.append(element.text or "")
                elif element.get("type") not in (None, "text"):
                    return [f"Atom {tag} of type {element.get('type')!r}"]
        urls += [e.get("href", "") for e in root.iter(f"{ATOM}link")]
        urls += [e.text or "" for e in root.iter(f"{ATOM}uri")]
    else:
        return [f"not a feed: <{root.tag}>"]
    urls += [e.get("url", "") for e in root.iter(f"{MEDIA}content")]
    problems = [f"a dangerous feed address {url!r}" for url in urls if unsafe_url(url)]
    for part in html_parts:
        problems += html_problems(part, fragment=True)
    return problems
