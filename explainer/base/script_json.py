"""JSON placed verbatim inside a `<script type="application/json">` element.

Inside <script>, `</script>` or `<!--` in a string would end or confuse the element; JSON allows the
same characters as \\u escapes, which no HTML parser looks at. Plotly fences, figure data and live
models all go through here.
"""

from __future__ import annotations

import json

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value, allow_nan: bool = False) -> str:
    """`allow_nan=False` for data we made (NaN is not JSON and JSON.parse rejects it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=allow_nan).translate(_SCRIPT_SAFE)
