"""Script-injection payloads, pushed through every input in tests/test_xss.py.

Gathered from the usual public cheat sheets (OWASP's XSS filter evasion sheet,
PortSwigger's XSS cheat sheet, the html5sec.org mutation cases): each one
aims at a different way a page, a feed or a JSON-LD block could end up
running someone else's code. ``KINDS`` groups them by the trick they try
(script elements, breakouts, event handlers...); ``VECTORS`` maps every short
name (the test id) to its payload; the names say what each one tries.

Every payload goes through the functions that escape and sanitize (fast, no
HTTP); ``ROUND_TRIP`` names one payload of each kind for the slow end-to-end
tests (the admin's forms, the comment form, every page, feed and block that
shows the text).
"""

KINDS = {
    # Script elements, plain and disguised.
    "script": {
        "script": "<script>alert(1)</script>",
        "script-upper-src": "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
        "script-slash-src": '<script/src="data:text/javascript,alert(1)"></script>',
        "script-nested-strip": "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "script-double-open": "<<script>script>alert(1)<</script>/script>",
        "script-unclosed": "<script>alert(1)//",
        "script-type-attr": '<script type="text/javascript">alert(1);</script>',
        "script-document-write": "<script>document.write('<img src=x onerror=alert(1)>')</script>",
        "script-in-html-comment": "<!--<script>alert(1)</script>-->",
        "comment-breakout": "--><script>alert(1)</script><!--",
        "script-in-cdata": "<![CDATA[<script>alert(1)</script>]]>",
        "cdata-breakout": "]]><script>alert(1)</script>",
        "template-element": "<template><script>alert(1)</script></template>",
    },
    # Breaking out of the element or attribute the text lands in.
    "breakout": {
        "title-breakout": "</title><script>alert(1)</script>",
        "textarea-breakout": "</textarea><script>alert(1)</script>",
        "textarea-breakout-img": "</textarea><img src=x onerror=alert(1)>",
        "json-ld-breakout": "</script><script>alert(1)</script>",
        "json-ld-breakout-upper": "</SCRIPT ><img src=x onerror=alert(1)>",
        "json-ld-string-breakout": '"}]}</script><script>alert(1)</script>',
        "json-ld-comment-open": "<!--<script>",
        "json-escape-literal": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
        "double-quote-breakout": '"><script>alert(1)</script>',
        "single-quote-breakout": "'><img src=x onerror=alert(1)>",
        "attribute-injection-double": '" autofocus onfocus="alert(1)" x="',
        "attribute-injection-single": "' onmouseover='alert(1)",
        "attribute-injection-backtick": "` onmouseover=alert(1) `",
        "attribute-injection-unquoted": "x onmouseover=alert(1)",
        "noscript-mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    },
    # Event handlers.
    "handler": {
        "img-onerror": "<img src=x onerror=alert(1)>",
        "img-onerror-mixed-case": "<IMG SRC=x oNeRrOr=alert(1)>",
        "img-slashes": "<img/src/onerror=alert(1)>",
        "img-backticks": "<img src=`x`onerror=alert(1)>",
        "img-entity-handler": "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
        "img-quote-confusion": '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
        "img-unterminated": "<img src=x onerror=alert(1) ",
        "img-double-lt": "<<img src=x onerror=alert(1)//<",
        "body-onload": "<body onload=alert(1)>",
        "svg-onload": "<svg onload=alert(1)>",
        "svg-slash-onload": "<svg/onload=alert(1)>",
        "div-onmouseover": '<div onmouseover="alert(1)">hover</div>',
        "input-autofocus": "<input autofocus onfocus=alert(1)>",
        "details-ontoggle": "<details open ontoggle=alert(1)>",
        "video-source-onerror": '<video><source onerror="alert(1)"></video>',
        "marquee-onstart": "<marquee onstart=alert(1)>x</marquee>",
        "anchor-onclick": '<a href="#" onclick="alert(1)">click</a>',
        "custom-element-onclick": "<x-story onclick=alert(1)>click</x-story>",
        "button-formaction": "<form><button formaction=javascript:alert(1)>X</button></form>",
        "isindex": "<isindex type=image src=1 onerror=alert(1)>",
    },
    # Dangerous URL schemes, with case, whitespace and entity tricks.
    "scheme": {
        "href-javascript": '<a href="javascript:alert(1)">x</a>',
        "href-javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
        "href-javascript-leading-space": '<a href=" javascript:alert(1)">x</a>',
        "href-javascript-tab": '<a href="java\tscript:alert(1)">x</a>',
        "href-javascript-entity-tab": '<a href="java&#x09;script:alert(1)">x</a>',
        "href-javascript-entity-newline": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
        "href-javascript-decimal-entities": (
            '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
        ),
        "href-javascript-hex-entity": '<a href="&#x6A;avascript:alert(1)">x</a>',
        "href-javascript-named-colon": '<a href="javascript&colon;alert(1)">x</a>',
        "href-javascript-control-prefix": '<a href="\x01javascript:alert(1)">x</a>',
        "href-javascript-entity-prefix": '<a href="&#14;  javascript:alert(1)">x</a>',
        "href-data-html": (
            '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'
        ),
        "img-data-svg": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
        "href-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
        "href-vbscript-mixed-case": '<a href="VbScRiPt:msgbox(1)">x</a>',
        "bare-javascript-url": "javascript:alert(1)",
        "bare-javascript-url-spaced": "  JAVASCRIPT:alert(document.cookie)",
        "bare-data-url": "data:text/html,<script>alert(1)</script>",
        "bare-vbscript-url": "vbscript:msgbox(1)",
        "url-quote-breakout": 'https://example.com/"><script>alert(1)</script>',
        "url-attribute-breakout": 'https://example.com/?q="onmouseover="alert(1)',
        "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
        "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        "object-data": '<object data="javascript:alert(1)"></object>',
        "embed-data-svg": '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
        "base-href": '<base href="javascript:alert(1)//">',
        "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "link-import": "<link rel=import href=data:text/html,<script>alert(1)</script>>",
    },
    # SVG and MathML.
    "svg-mathml": {
        "svg-script": "<svg><script>alert(1)</script></svg>",
        "svg-xlink-href": (
            '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">X</text></a></svg>'
        ),
        "svg-animate-href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
        "<text>X</text></a></svg>",
        "svg-set-onload": '<svg><set attributeName="onload" to="alert(1)"/></svg>',
        "svg-style-mutation": "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "svg-foreignobject": (
            '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe>'
            "</foreignObject></svg>"
        ),
        "math-maction": (
            '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">'
            "X</maction></math>"
        ),
        "math-href": '<math href="javascript:alert(1)">X</math>',
        "math-mglyph-mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    },
    # Style and CSS expressions.
    "style": {
        "style-url-javascript": '<div style="background:url(javascript:alert(1))">x</div>',
        "style-expression": '<div style="width: expression(alert(1))">x</div>',
        "style-moz-binding": '<p style="-moz-binding:url(//xss.example/x.xml#xss)">x</p>',
        "style-element-import": "<style>@import 'javascript:alert(1)';</style>",
        "style-element-url": '<style>body{background:url("javascript:alert(1)")}</style>',
        "link-stylesheet": '<link rel="stylesheet" href="javascript:alert(1)">',
    },
    # Encoded and malformed.
    "encoding": {
        "already-escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
        "percent-encoded": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "double-percent-encoded": "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
        "null-in-tag": "<scri\x00pt>alert(1)</scri\x00pt>",
        "tag-with-newlines": "<img\nsrc=x\nonerror\n=\nalert(1)>",
        "tag-with-form-feed": "<img\x0csrc=x\x0conerror=alert(1)>",
        "template-syntax": "{{ request.META }}{% debug %}${alert(1)}",
        "crlf-header": "x\r\nSet-Cookie: xss=1\r\n\r\n<script>alert(1)</script>",
    },
    # Unicode tricks.
    "unicode": {
        "fullwidth-script": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
        "fullwidth-img": "\uff1cimg src=x onerror=alert(1)\uff1e",
        "zero-width-in-tag": "<scr\u200bipt>alert(1)</scr\u200bipt>",
        "zero-width-in-scheme": '<a href="java\u200bscript:alert(1)">x</a>',
        "rtl-override": "\u202e>tpircs/<)1(trela>tpircs<",
        "rtl-override-in-tag": "<img src=x \u202eonerror=alert(1)>",
        "bom-prefix": "\ufeff<script>alert(1)</script>",
        "line-separator": "<img src=x onerror=alert(1)\u2028>",
        "long-s-uppercases-to-script": "<\u017fcript>alert(1)</\u017fcript>",
        "dotless-i": "<scr\u0131pt>alert(1)</scr\u0131pt>",
        "combining-overlay": "<s\u0336cript>alert(1)</s\u0336cript>",
        "homoglyph-lt": "\u2039script\u203aalert(1)\u2039/script\u203a",
    },
}

VECTORS = {name: payload for vectors in KINDS.values() for name, payload in vectors.items()}

# One payload of each kind for the round trips, picked for what it reaches there.
ROUND_TRIP = {
    "script": "script-nested-strip",  # a sanitizer that strips once rebuilds <script>
    "breakout": "json-ld-string-breakout",  # out of the JSON-LD string, then the block
    "handler": "img-onerror",
    "scheme": "url-attribute-breakout",  # a website the comment form accepts, quoted out
    "svg-mathml": "math-mglyph-mutation",  # mutates between sanitizer and browser
    "style": "style-element-url",
    "encoding": "crlf-header",  # headers and cookies, which only a response has
    "unicode": "long-s-uppercases-to-script",  # uppercasing makes it <SCRIPT>
}
