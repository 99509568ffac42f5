#!/usr/bin/env python3
"""Independent check of sites/*/case.json against the HTML (stdlib only).
For every expected record and every field, the value must be the whole visible text of some
element (whitespace collapsed), or the aria-label/alt of one, or (for URLs) an href that
resolves to it - on one of the site's pages. Records must appear in document order (first
field of each record, pages in link order), and the number of main-list records is reported."""
import html.parser, json, os, re, sys, urllib.parse

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
HIDDEN = {"script", "style", "head", "title", "noscript", "template"}

class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None); self.cur = self.root; self.order = []
    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur); self.cur.children.append(n); self.order.append(n)
        if tag not in VOID: self.cur = n
    def handle_startendtag(self, tag, attrs):
        n = Node(tag, attrs, self.cur); self.cur.children.append(n); self.order.append(n)
    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag: n = n.parent
        if n is not self.root: self.cur = n.parent
    def handle_data(self, d):
        self.cur.children.append(d)

def text(n):
    if n.tag in HIDDEN: return ""
    return "".join(c if isinstance(c, str) else text(c) for c in n.children)

def norm(s): return " ".join(s.split())

def page_values(path, url):
    p = P(); p.feed(open(path, encoding="utf-8").read())
    vals = []  # (position, value)
    for i, n in enumerate(p.order):
        if any(a.tag in HIDDEN for a in [n] + list(ancestors(n))): continue
        vals.append((i, norm(text(n))))
        for a in ("aria-label", "alt", "title"):
            if n.attrs.get(a): vals.append((i, norm(n.attrs[a])))
        if n.attrs.get("href"): vals.append((i, urllib.parse.urljoin(url, n.attrs["href"])))
    return vals

def ancestors(n):
    while n.parent is not None:
        n = n.parent; yield n

def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sites")
    base = "http://127.0.0.1:1"
    bad = 0
    for site in sorted(os.listdir(root)):
        c = json.load(open(os.path.join(root, site, "case.json"), encoding="utf-8"))
        pages = sorted(f for f in os.listdir(os.path.join(root, site)) if f.endswith(".html"))
        pages.remove(c["start"]); pages.insert(0, c["start"])
        allv = []
        for k, f in enumerate(pages):
            for pos, v in page_values(os.path.join(root, site, f), f"{base}/{f}"):
                allv.append((k * 10**6 + pos, v))
        index = {}
        for pos, v in allv: index.setdefault(v, []).append(pos)
        assert set(c["keys"]) == set(c["records"][0].keys())
        last = -1
        bad0 = bad
        for r, rec in enumerate(c["records"]):
            for key in c["keys"]:
                v = norm(rec[key].replace("{base}", base))
                if v == "": continue
                if v not in index:
                    print(f"{site}: record {r} {key}={v!r} NOT FOUND on the pages"); bad += 1
            first = norm(rec[c["keys"][0]].replace("{base}", base))
            later = [p for p in index.get(first, []) if p > last]
            if not later:
                print(f"{site}: record {r} out of document order ({first!r})"); bad += 1
            else:
                last = min(later)
        print(f"{site}: {len(c['records'])} records x {len(c['keys'])} fields, {len(pages)} page(s), {len(set(c['request'].split()))} words in request: OK" if bad == bad0 else f"{site}: {bad - bad0} problem(s)")
    print("PROBLEMS:", bad)
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
