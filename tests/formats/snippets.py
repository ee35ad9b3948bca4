"""Prints one copy-paste snippet of docs/ci.md: the fenced block after `<!-- snippet: NAME -->`.
The CI tests run the snippets from the docs themselves, so the docs cannot drift from what works.

Usage: snippets.py NAME
"""

import os
import re
import sys

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "ci.md")


def snippet(name):
    text = open(DOC, encoding="utf-8").read()
    m = re.search(r"<!-- snippet: " + re.escape(name) + r" -->\s*\n```[^\n]*\n(.*?)\n```", text, re.S)
    if not m:
        raise SystemExit(f"docs/ci.md has no snippet named {name}")
    return m.group(1) + "\n"


if __name__ == "__main__":
    sys.stdout.write(snippet(sys.argv[1]))
