#!/usr/bin/env python3
"""Independent check of sites/*/case.json against the HTML (stdlib only).
For every expected record and every field, the canonical value (the first one when a list of
accepted values is given) must be, on one of the site's pages:
  * the whole visible text of some element (whitespace collapsed), or that text after a leading
    label element ending in ":" ("Authors: A, B" -> "A, B"), or
  * the aria-label / alt / title / content / datetime of an element, or
  * (for URLs) an href that resolves to it, or
  * a string or number in the page's JSON-LD.
Records must appear in document order (first field of each record, pages in link order), and
the number of records is reported."""
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

def raw(n):
    return "".join(c if isinstance(c, str) else raw(c) for c in n.children)

def norm(s): return " ".join(s.split())

def ancestors(n):
    while n.parent is not None:
        n = n.parent; yield n

def ld_values(obj, out):
    if isinstance(obj, dict):
        for v in obj.values(): ld_values(v, out)
    elif isinstance(obj, list):
        for v in obj: ld_values(v, out)
    elif isinstance(obj, (str, int, float)) and not isinstance(obj, bool):
        out.append(str(obj))

def page_values(path, url):
    p = P(); p.feed(open(path, encoding="utf-8").read())
    vals = []  # (position, value)
    for i, n in enumerate(p.order):
        if n.tag == "script" and n.attrs.get("type") == "application/ld+json":
            out = []
            ld_values(json.loads(raw(n)), out)
            for v in out:
                vals.append((i, norm(v)))
                if v.startswith("/"): vals.append((i, urllib.parse.urljoin(url, v)))
            continue
        if any(a.tag in HIDDEN for a in [n] + list(ancestors(n))): continue
        t = norm(text(n))
        vals.append((i, t))
        first = next((c for c in n.children if not (isinstance(c, str) and not c.strip())), None)
        if isinstance(first, Node):
            lab = norm(text(first))
            if lab.endswith(":") and t.startswith(lab):
                vals.append((i, norm(t[len(lab):])))
        for a in ("aria-label", "alt", "title", "content", "datetime"):
            if n.attrs.get(a): vals.append((i, norm(n.attrs[a])))
        if n.attrs.get("href"): vals.append((i, urllib.parse.urljoin(url, n.attrs["href"])))
    return vals

def canon(v):
    return v[0] if isinstance(v, list) else v

def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sites")
    base = "http://127.0.0.1:1"
    bad = 0
    total = 0
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
        for rec in c["records"]:
            assert set(c["keys"]) == set(rec.keys()), (site, rec)
        last = -1
        bad0 = bad
        for r, rec in enumerate(c["records"]):
            for key in c["keys"]:
                v = norm(canon(rec[key]).replace("{base}", base))
                if v == "": continue
                if v not in index:
                    print(f"{site}: record {r} {key}={v!r} NOT FOUND on the pages"); bad += 1
            first = norm(canon(rec[c["keys"][0]]).replace("{base}", base))
            later = [p for p in index.get(first, []) if p > last]
            if not later:
                print(f"{site}: record {r} out of document order ({first!r})"); bad += 1
            else:
                last = min(later)
        total += len(c["records"]) * len(c["keys"])
        print(f"{site}: {len(c['records'])} records x {len(c['keys'])} fields, {len(pages)} page(s): OK" if bad == bad0 else f"{site}: {bad - bad0} problem(s)")
    print(f"cells: {total}")
    print("PROBLEMS:", bad)
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
