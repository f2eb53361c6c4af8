"""A small panflute filter for the interop test: headings in capitals."""

import panflute as pf


def upper(elem, doc):
    if isinstance(elem, pf.Str):
        elem.text = elem.text.upper()


def action(elem, doc):
    if isinstance(elem, pf.Header):
        return elem.walk(upper)


if __name__ == "__main__":
    pf.run_filter(action)
