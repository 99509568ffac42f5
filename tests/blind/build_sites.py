#!/usr/bin/env python3
"""Generates /work/blind/sites/*: static HTML pages and case.json for each site.
Each site's data lives here once; the HTML and the expected records both come from it,
and check_sites.py verifies independently that every expected value is on the page."""
import json, os, html, shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sites")
E = html.escape

def write(site, name, text):
    d = os.path.join(ROOT, site)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)

def case(site, request, keys, records, start="index.html"):
    for r in records:
        assert list(r.keys()) == keys, (site, r)
    write(site, "case.json", json.dumps({"request": request, "start": start, "keys": keys,
                                         "records": records}, ensure_ascii=False, indent=1))

GTAG = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX1234"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-XXXX1234');</script>"""
COOKIE = """<div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="Cookie banner">
<div class="ot-sdk-container"><p id="onetrust-policy-text">We use cookies to improve your experience, analyse traffic and show personalised ads. <a href="/privacy">Cookie Policy</a></p>
<div id="onetrust-button-group"><button id="onetrust-pc-btn-handler">Cookie Settings</button><button id="onetrust-reject-all-handler">Reject All</button><button id="onetrust-accept-btn-handler">Accept All Cookies</button></div></div></div></div>"""

# ---------------------------------------------------------------- 01 HN-like news
def s01():
    site = "01-hn-news"
    stories = [
        ("Show HN: I built a tiny SQLite replacement in 2k lines of C", "https://github.com/kpatel/minisql", "github.com", 412, "kpatel", "5 hours ago", 187),
        ("The hidden cost of microservices", "https://blog.example-eng.io/hidden-cost-microservices", "example-eng.io", 298, "throwaway_42", "7 hours ago", 233),
        ("Ask HN: How do you keep up with papers in your field?", "item?id=40200103", None, 156, "quietmoth", "3 hours ago", 98),
        ("Linux 6.9 released", "https://lkml.example.org/lkml/2024/5/12/231", "lkml.example.org", 640, "tosh", "9 hours ago", 301),
        ("Acme (YC W21) is hiring a founding backend engineer", "https://acme-robotics.example.com/careers", "acme-robotics.example.com", None, None, "2 hours ago", None),
        ("A visual guide to how Bloom filters work", "https://samwho.example.dev/bloom-filters/", "samwho.example.dev", 87, "samwho", "1 hour ago", 12),
        ("Why I still use Emacs in 2024", "https://www.example-blog.net/posts/emacs-2024.html", "example-blog.net", 203, "lispnik", "11 hours ago", 276),
        ("Launch HN: Parcel Labs (YC S24) – Open-source shipping API", "item?id=40200471", None, 118, "jmarr", "6 hours ago", 64),
        ("The Unix philosophy, revisited", "https://example-essays.org/unix-philosophy", "example-essays.org", 75, "dang_fan", "4 hours ago", 31),
        ("Postgres is eating the database world", "https://pgnews.example.com/eating-the-world", "pgnews.example.com", 522, "cwillis", "13 hours ago", 389),
        ("Reverse-engineering a 1980s pocket calculator", "https://righto.example.com/2024/05/calculator.html", "righto.example.com", 349, "kens", "10 hours ago", 45),
        ("An interactive intro to signed distance functions", "https://iquilez.example.org/articles/sdf/", "iquilez.example.org", 64, "pixelpusher", "2 hours ago", 9),
    ]
    pages = [stories[:6], stories[6:]]
    recs = []
    for pi, chunk in enumerate(pages):
        rows = []
        for i, (title, link, site_s, pts, user, age, com) in enumerate(chunk):
            rank = pi * 6 + i + 1
            sid = 40200100 + rank * 7
            sitebit = f' <span class="sitebit comhead"> (<a href="from?site={site_s}"><span class="sitestr">{site_s}</span></a>)</span>' if site_s else ""
            vote = f'<center><a id="up_{sid}" href="vote?id={sid}&amp;how=up&amp;goto=news"><div class="votearrow" title="upvote"></div></a></center>' if pts else ""
            rows.append(f'''      <tr class="athing submission" id="{sid}">
      <td align="right" valign="top" class="title"><span class="rank">{rank}.</span></td>      <td valign="top" class="votelinks">{vote}</td><td class="title"><span class="titleline"><a href="{E(link)}">{E(title)}</a>{sitebit}</span></td></tr><tr>
        <td colspan="2"></td><td class="subtext"><span class="subline">''')
            if pts:
                rows.append(f'''
          <span class="score" id="score_{sid}">{pts} points</span> by <a href="user?id={user}" class="hnuser">{user}</a> <span class="age" title="2024-05-13T{(rank*37)%24:02d}:12:01 1715587921"><a href="item?id={sid}">{age}</a></span> <span id="unv_{sid}"></span> | <a href="hide?id={sid}&amp;goto=news">hide</a> | <a href="item?id={sid}">{com}&nbsp;comments</a>        </span>
              </td></tr>
      <tr class="spacer" style="height:5px"></tr>''')
            else:
                rows.append(f'''
          <span class="age" title="2024-05-13T08:00:00 1715587200"><a href="item?id={sid}">{age}</a></span> | <a href="hide?id={sid}&amp;goto=news">hide</a>      </span></td></tr>
      <tr class="spacer" style="height:5px"></tr>''')
            recs.append({"title": title, "link": link if link.startswith("http") else "{base}/" + link,
                         "points": f"{pts} points" if pts else "", "author": user or ""})
        more = '<tr class="morespace" style="height:10px"></tr><tr><td colspan="2"></td><td class="title"><a href="news2.html" class="morelink" rel="next">More</a></td></tr>' if pi == 0 else ""
        doc = f'''<html lang="en" op="news"><head><meta name="referrer" content="origin"><meta name="viewport" content="width=device-width, initial-scale=1.0"><link rel="stylesheet" type="text/css" href="news.css?J3bvhPTyT8CJ0tdu3lUE">
        <link rel="icon" href="y18.svg">
                  <link rel="alternate" type="application/rss+xml" title="RSS" href="rss">
        <title>Hacker News</title></head><body><center><table id="hnmain" border="0" cellpadding="0" cellspacing="0" width="85%" bgcolor="#f6f6ef">
        <tr><td bgcolor="#ff6600"><table border="0" cellpadding="0" cellspacing="0" width="100%" style="padding:2px"><tr><td style="width:18px;padding-right:4px"><a href="https://news.ycombinator.com"><img src="y18.svg" width="18" height="18" style="border:1px white solid; display:block"></a></td>
                  <td style="line-height:12pt; height:10px;"><span class="pagetop"><b class="hnname"><a href="news">Hacker News</a></b>
                            <a href="newest">new</a> | <a href="front">past</a> | <a href="newcomments">comments</a> | <a href="ask">ask</a> | <a href="show">show</a> | <a href="jobs">jobs</a> | <a href="submit" rel="nofollow">submit</a>            </span></td><td style="text-align:right;padding-right:4px;"><span class="pagetop">
                              <a href="login?goto=news">login</a>
                          </span></td>
              </tr></table></td></tr>
<tr id="bigbox"><td><table border="0" cellpadding="0" cellspacing="0">
{"".join(rows)}
{more}
</table>
</td></tr>
<tr><td><img src="s.gif" height="10" width="0"><table width="100%" cellspacing="0" cellpadding="1"><tr><td bgcolor="#ff6600"></td></tr></table><br>
<center><span class="yclinks"><a href="newsguidelines.html">Guidelines</a> | <a href="newsfaq.html">FAQ</a> | <a href="lists">Lists</a> | <a href="https://github.com/HackerNews/API">API</a> | <a href="security.html">Security</a> | <a href="https://www.ycombinator.com/legal/">Legal</a> | <a href="https://www.ycombinator.com/apply/">Apply to YC</a> | <a href="mailto:hn@ycombinator.com">Contact</a></span><br><br>
<form method="get" action="//hn.algolia.com/">Search: <input type="text" name="q" size="17" autocorrect="off" spellcheck="false" autocapitalize="off" autocomplete="off"></form></center></td></tr></table></center></body><script type='text/javascript' src='hn.js?J3bvhPTyT8CJ0tdu3lUE'></script></html>
'''
        write(site, "index.html" if pi == 0 else "news2.html", doc)
    case(site, "Get the title, link, points and author of every story on {base}/index.html, all pages please",
         ["title", "link", "points", "author"], recs)

# ---------------------------------------------------------------- 02 shop grid (Amazon-like)
def s02():
    site = "02-shop-grid"
    items = [
        ("Anker USB C Charger, 735 Charger (Nano II 65W), 3 Port Fast Compact Foldable", "35", "99", "45", "4.7", "18,204", "$49.99"),
        ("Logitech MX Master 3S Wireless Performance Mouse, Ergo, 8K DPI, Quiet Clicks", "89", "99", "47", "4.7", "31,877", None),
        ("SanDisk 1TB Extreme Portable SSD - Up to 1050MB/s, USB-C, USB 3.2 Gen 2", "79", "99", "46", "4.6", "102,334", "$139.99"),
        ("Amazon Basics Micro SD Card 128GB, microSDXC Memory Card with Adapter", "11", "49", "45", "4.5", "9,812", None),
        ("JBL Flip 6 - Portable Bluetooth Speaker, Powerful Sound and Deep Bass, IPX7 Waterproof", "99", "95", "48", "4.8", "40,112", "$129.95"),
        ("Apple AirTag 4 Pack", "79", "00", "47", "4.7", "95,003", "$99.00"),
        ("TP-Link AC1200 WiFi Extender (RE315), Covers Up to 1500 Sq.ft and 25 Devices", "24", "99", "42", "4.2", "64,520", None),
        ("Kindle Paperwhite (16 GB) – Now with a 6.8\" display and adjustable warm light", "149", "99", "46", "4.6", "120,441", None),
        ("Belkin BoostCharge Pro 3-in-1 Wireless Charging Pad with MagSafe 15W", "99", "99", "43", "4.3", "3,118", "$149.99"),
        ("Soundcore by Anker Q20i Hybrid Active Noise Cancelling Headphones", "39", "99", "45", "4.5", "27,606", "$59.99"),
        ("Samsung EVO Select Micro SD Memory Card + Adapter, 256GB microSDXC", "17", "99", "48", "4.8", "211,902", None),
        ("Blink Mini – Compact indoor plug-in smart security camera, 1080p HD video", "19", "99", "42", "4.2", "233,478", "$39.99"),
        ("Ring Video Doorbell – 1080p HD video, improved motion detection, easy installation", "59", "99", "44", "4.4", "47,115", "$99.99"),
        ("Govee Smart Light Bulbs, WiFi Bluetooth Color Changing Light Bulbs, 4 Pack", "29", "99", None, None, None, None),
        ("Crucial T500 2TB Gen4 NVMe M.2 Internal Gaming SSD, Up to 7400MB/s", "134", "99", "48", "4.8", "5,990", "$159.99"),
    ]
    recs = []
    for p in range(3):
        chunk = items[p*5:(p+1)*5]
        cards = []
        for j, (name, whole, frac, starcls, rating, count, listp) in enumerate(chunk):
            asin = "B0%08X" % (0x1A2B3C + p*5 + j)
            rating_html = ""
            if rating:
                rating_html = f'''<div class="a-row a-size-small"><span aria-label="{rating} out of 5 stars"><span class="a-declarative" data-action="a-popover"><a href="javascript:void(0)" role="button" class="a-popover-trigger a-declarative"><i class="a-icon a-icon-star-small a-star-small-{starcls[0]}-{starcls[1]} aok-align-bottom"><span class="a-icon-alt">{rating} out of 5 stars</span></i><i class="a-icon a-icon-popover"></i></a></span></span><span aria-label="{count} ratings"><a class="a-link-normal s-underline-text s-underline-link-text s-link-style" href="/dp/{asin}#customerReviews"><span class="a-size-base s-underline-text">{count}</span></a></span></div>'''
            listp_html = f'''<div class="a-section aok-inline-block"><span class="a-size-base a-color-secondary">List: </span><span class="a-price a-text-price" data-a-size="b" data-a-strike="true" data-a-color="secondary"><span class="a-offscreen">{listp}</span><span aria-hidden="true">{listp}</span></span></div>''' if listp else ""
            cards.append(f'''<div data-asin="{asin}" data-index="{j+2}" data-component-type="s-search-result" class="sg-col-4-of-24 sg-col-4-of-12 s-result-item s-asin sg-col-4-of-16 sg-col s-widget-spacing-small sg-col-4-of-20" data-cel-widget="search_result_{j+1}"><div class="sg-col-inner"><div cel_widget_id="MAIN-SEARCH_RESULTS-{j+1}" class="s-widget-container s-spacing-small s-widget-container-height-small celwidget slot=MAIN template=SEARCH_RESULTS widgetId=search-results_{j+1}"><span class="a-declarative"><div class="puis-card-container s-card-container s-overflow-hidden aok-relative puis-include-content-margin puis puis-v1xp0ybgxu3zwdxm9wewt1hz8kb s-latency-cf-section puis-card-border"><div class="a-section a-spacing-base"><div class="s-product-image-container aok-relative s-text-center s-image-overlay-grey puis-image-overlay-grey s-padding-left-small s-padding-right-small puis-spacing-small s-height-equalized puis puis-v1xp0ybgxu3zwdxm9wewt1hz8kb"><span data-component-type="s-product-image" class="rush-component"><a class="a-link-normal s-no-outline" href="/dp/{asin}/ref=sr_1_{j+1}"><div class="a-section aok-relative s-image-square-aspect"><img class="s-image" src="https://m.media-amazon.example/images/I/{asin}._AC_UY218_.jpg" alt="{E(name)}" data-image-latency="s-product-image"></div></a></span></div>
<div class="a-section a-spacing-small puis-padding-left-small puis-padding-right-small"><div data-cy="title-recipe" class="a-section a-spacing-none a-spacing-top-small s-title-instructions-style"><h2 class="a-size-mini a-spacing-none a-color-base s-line-clamp-4"><a class="a-link-normal s-underline-text s-underline-link-text s-link-style a-text-normal" href="/dp/{asin}/ref=sr_1_{j+1}"><span class="a-size-base-plus a-color-base a-text-normal">{E(name)}</span></a></h2></div>
<div data-cy="reviews-block" class="a-section a-spacing-none a-spacing-top-micro">{rating_html}<div class="a-row a-size-base"><span class="a-size-base a-color-secondary">5K+ bought in past month</span></div></div>
<div data-cy="price-recipe" class="a-section a-spacing-none a-spacing-top-small s-price-instructions-style"><div class="a-row a-size-base a-color-base"><a class="a-link-normal s-no-hover s-underline-text s-underline-link-text s-link-style a-text-normal" href="/dp/{asin}/ref=sr_1_{j+1}"><span class="a-price" data-a-size="xl" data-a-color="base"><span class="a-price-symbol">$</span><span class="a-price-whole">{whole}<span class="a-price-decimal">.</span></span><span class="a-price-fraction">{frac}</span></span></a>{listp_html}</div></div>
<div data-cy="delivery-recipe" class="a-section a-spacing-none a-spacing-top-micro"><div class="a-row a-size-base a-color-secondary s-align-children-center"><span aria-label="FREE delivery Fri, May 17 on $35 of items shipped by Amazon"><span class="a-color-base">FREE delivery </span><span class="a-color-base a-text-bold">Fri, May 17 </span></span></div></div></div></div></div></span></div></div></div>''')
            recs.append({"name": name, "price": f"${whole}.{frac}", "rating": f"{rating} out of 5 stars" if rating else ""})
        pag = []
        if p > 0:
            prev = "index.html" if p == 1 else f"page-{p}.html"
            pag.append(f'<a href="{prev}" aria-label="Go to previous page, page {p}" class="s-pagination-item s-pagination-previous s-pagination-button s-pagination-separator">Previous</a>')
        else:
            pag.append('<span class="s-pagination-item s-pagination-previous s-pagination-disabled " aria-disabled="true">Previous</span>')
        for k in range(3):
            href = "index.html" if k == 0 else f"page-{k+1}.html"
            pag.append(f'<span class="s-pagination-item s-pagination-selected" aria-label="Current page, page {k+1}">{k+1}</span>' if k == p else f'<a href="{href}" aria-label="Go to page {k+1}" class="s-pagination-item s-pagination-button">{k+1}</a>')
        pag.append(f'<a href="page-{p+2}.html" aria-label="Go to next page, page {p+2}" class="s-pagination-item s-pagination-next s-pagination-button s-pagination-separator">Next</a>' if p < 2 else '<span class="s-pagination-item s-pagination-next s-pagination-disabled " aria-disabled="true">Next</span>')
        doc = f'''<!doctype html><html lang="en-us" class="a-no-js" data-19ax5a9jf="dingo"><head><meta charset="utf-8"><title>Amazon.com : usb c gadgets</title>
{GTAG}
<link rel="stylesheet" href="https://m.media-amazon.example/images/I/11EIQ5IGqaL._RC|01ZTHTZObnL.css_.css?AUIClients/AmazonUI">
<script>(function(){{var ue_t0=+new Date();window.ue=window.ue||{{}};}})();</script></head>
<body class="a-m-us a-aui_72554-c a-aui_a11y_6_837773-c a-aui_killswitch_csa_logger_372963-c s-minimal"><div id="a-page">
<header id="navbar-main" class="nav-opt-sprite nav-flex nav-locale-us"><div id="nav-belt"><div class="nav-left"><a href="/ref=nav_logo" id="nav-logo-sprites" class="nav-logo-link nav-progressive-attribute" aria-label="Amazon"><span class="nav-sprite nav-logo-base"></span></a></div>
<div class="nav-fill"><form id="nav-search-bar-form" accept-charset="utf-8" action="/s"><input type="text" id="twotabsearchtextbox" value="usb c gadgets" name="field-keywords"><input type="submit" value="Go"></form></div>
<div class="nav-right"><a href="/gp/css/homepage.html" id="nav-link-accountList"><span id="nav-link-accountList-nav-line-1">Hello, sign in</span><span class="nav-line-2">Account &amp; Lists</span></a><a href="/gp/cart/view.html" id="nav-cart"><span id="nav-cart-count">0</span><span class="nav-line-2">Cart</span></a></div></div>
<div id="nav-main"><a href="/gp/goldbox">Today's Deals</a><a href="/gp/help/customer/display.html">Customer Service</a><a href="/registry">Registry</a><a href="/gift-cards">Gift Cards</a><a href="/b/?node=12766669011">Sell</a></div></header>
<div class="s-desktop-width-max s-desktop-content s-wide-grid-style-t1 s-opposite-dir s-wide-grid-style sg-row"><div class="sg-col-20-of-24 s-matching-dir sg-col-16-of-20 sg-col sg-col-8-of-12 sg-col-12-of-16"><div class="sg-col-inner">
<span data-component-type="s-result-info-bar" class="rush-component"><h1 class="a-size-base s-desktop-toolbar a-text-normal"><div class="a-section a-spacing-small a-spacing-top-small"><span>{p*5+1}-{p*5+5} of 15 results for</span> <span class="a-color-state a-text-bold">"usb c gadgets"</span></div></h1></span>
<div class="s-main-slot s-result-list s-search-results sg-row">
<div class="s-result-item s-widget s-widget-spacing-large AdHolder s-flex-full-width" data-component-type="sp-sponsored-brands"><div class="s-widget-container"><span class="a-size-mini a-color-secondary">Sponsored</span><div class="sb-video-creative"><a href="/stores/Anker/page/1234"><span class="a-truncate-full">Charge faster with Anker Prime – Shop now</span></a></div></div></div>
{"".join(cards)}
</div>
<div role="navigation" aria-label="pagination" class="a-section a-text-center s-pagination-container"><span class="s-pagination-strip">{"".join(pag)}</span></div>
</div></div></div>
<div id="navFooter" class="navLeftFooter nav-sprite-v1"><div class="navFooterVerticalColumn"><div class="navFooterColHead">Get to Know Us</div><ul><li><a href="/careers">Careers</a></li><li><a href="/ir">Investor Relations</a></li></ul></div><div class="navFooterLine navFooterLinkLine navFooterDescLine"><span>© 1996-2024, Amazon.com, Inc. or its affiliates</span></div></div>
</div><script>P.when('A').execute(function(A){{A.trigger('search:loaded')}});</script></body></html>'''
        write(site, "index.html" if p == 0 else f"page-{p+1}.html", doc)
    case(site, "Could you pull the name, price and rating of every product in these search results: {base}/index.html (all 3 pages)",
         ["name", "price", "rating"], recs)

# ---------------------------------------------------------------- 03 job board with JSON-LD
def s03():
    site = "03-job-board"
    jobs = [
        ("Senior Backend Engineer (Go)", "Northwind Analytics", "Remote — US", "$165,000 – $195,000 a year", "2024-05-10", True),
        ("Product Designer", "Lumen & Co.", "Brooklyn, NY", "$120,000 – $140,000 a year", "2024-05-11", False),
        ("Data Engineer II", "Helix Health", "Boston, MA (Hybrid)", "$58 – $72 an hour", "2024-05-09", False),
        ("Staff Site Reliability Engineer", "Cobalt Payments", "Remote — Europe", "€110,000 – €130,000 a year", "2024-05-12", False),
        ("Junior Frontend Developer", "Brightside Learning", "Austin, TX", "", "2024-05-12", False),
        ("Engineering Manager, Platform", "Quarry Systems", "Seattle, WA", "$210,000 – $250,000 a year", "2024-05-08", False),
        ("Machine Learning Engineer", "Tern Robotics", "San Francisco, CA", "$180,000 – $230,000 a year", "2024-05-07", False),
    ]
    ld = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": []}
    cards = []
    recs = []
    for i, (t, c, loc, sal, date, promoted) in enumerate(jobs):
        jid = f"j{8812 + i*13}"
        ld["itemListElement"].append({"@type": "ListItem", "position": i + 1, "item": {
            "@type": "JobPosting", "title": t, "datePosted": date, "hiringOrganization": {"@type": "Organization", "name": c},
            "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": loc.split(",")[0]}},
            "employmentType": "FULL_TIME", "url": f"/jobs/{jid}"}})
        sal_html = f'<div class="metadata salary-snippet-container css-5zy3wz eu4oa1w0"><div data-testid="attribute_snippet_testid" class="css-1cvvo1b eu4oa1w0">{E(sal)}</div></div>' if sal else '<div class="metadata css-5zy3wz eu4oa1w0"><div data-testid="attribute_snippet_testid" class="css-1cvvo1b eu4oa1w0">Full-time</div></div>'
        promo = '<span class="sponsoredJob css-1j6dk5j">Promoted</span>' if promoted else ''
        cards.append(f'''<li class="css-5lfssm eu4oa1w0"><div class="cardOutline tapItem dd-privacy-allow result job_{jid} resultWithShelf sponTapItem desktop css-1qv0295 eu4oa1w0"><div class="slider_container css-8xisqv eu4oa1w0"><div class="slider_list css-bvh9rc eu4oa1w0"><div class="slider_item css-kyg8or eu4oa1w0"><div class="job_seen_beacon"><table class="big6_visualChanges" role="presentation"><tbody><tr><td class="resultContent css-1qwrrf0 eu4oa1w0">
<div class="css-dekpa e37uo190"><h2 class="jobTitle css-198pbd eu4oa1w0" tabindex="-1"><a id="job_{jid}" data-jk="{jid}" role="button" class="jcs-JobTitle css-1baag51 eu4oa1w0" href="/rc/clk?jk={jid}&amp;from=serp"><span title="{E(t)}" id="jobTitle-{jid}">{E(t)}</span></a></h2></div>
<div class="company_location css-i375s1 e37uo190"><div class="css-1restlb eu4oa1w0"><span data-testid="company-name" class="css-1h7lukg eu4oa1w0">{E(c)}</span><div data-testid="text-location" class="css-1restlb eu4oa1w0">{E(loc)}</div></div></div>
<div class="heading6 tapItem-gutter metadataContainer css-z5ecg7 eyvcjpo0">{sal_html}</div></td></tr></tbody></table>
<div class="heading6 tapItem-gutter result-footer"><div class="css-9446fg eu4oa1w0"><ul style="list-style-type:circle;margin-top:0px;margin-bottom:0px;padding-left:20px"><li>Build and operate services used by millions of people.</li></ul></div><span data-testid="myJobsStateDate" class="css-10pe3me eu4oa1w0"><span class="css-10pe3me eu4oa1w0">Posted</span>Posted {1 + i % 5} days ago</span>{promo}</div></div></div></div></div></div></li>''')
        recs.append({"job_title": t, "company_name": c, "location": loc, "salary": sal})
    ad = '''<li class="css-5lfssm eu4oa1w0"><div class="mosaic-zone" id="mosaic-afterFifthJobResult"><div class="mosaic-provider-jobseeker-tools"><h3>Get new jobs for this search by email</h3><form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div></div></li>'''
    cards.insert(5, ad)
    doc = f'''<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>Software Engineer Jobs, Employment | JobFinder</title>
<meta name="description" content="7 software engineer jobs available on JobFinder.">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
{GTAG}<style>.css-1qv0295{{border:1px solid #e4e2e0;border-radius:8px}}.css-5lfssm{{list-style:none}}</style></head>
<body><div id="jobsearch-Main"><div class="gnav"><a href="/" class="gnav-Logo">JobFinder</a><nav><a href="/jobs">Find jobs</a><a href="/companies">Company reviews</a><a href="/career/salaries">Find salaries</a></nav><a href="/account/login" class="gnav-signin">Sign in</a> <a href="/hire">Employers / Post Job</a></div>
{COOKIE}
<div class="jobsearch-JobCountAndSortPane-jobCount css-13jafh6 eu4oa1w0"><span>7 jobs</span></div>
<div id="mosaic-provider-jobcards" class="mosaic mosaic-provider-jobcards mosaic-provider-hydrated"><ul class="css-zu9cdh eu4oa1w0">
{"".join(cards)}
</ul></div>
<footer class="icl-GlobalFooter"><ul><li><a href="/about">About</a></li><li><a href="/help">Help Center</a></li><li><a href="/legal">Privacy Center</a></li></ul><p>© 2024 JobFinder</p></footer></div></body></html>'''
    write(site, "index.html", doc)
    case(site, "I'd like the job title, company name, location and salary for each posting on {base}/index.html",
         ["job_title", "company_name", "location", "salary"], recs)

# ---------------------------------------------------------------- 04 real estate
def s04():
    site = "04-real-estate"
    homes = [
        ("$425,000", "1208 E 7th St, Austin, TX 78702", "3 bd", "2 ba", "1,200 sqft", "House for sale"),
        ("$289,900", "4500 Duval St APT 214, Austin, TX 78751", "Studio", "1 ba", "480 sqft", "Condo for sale"),
        ("$1,150,000", "3302 Windsor Rd, Austin, TX 78703", "4 bd", "3.5 ba", "3,040 sqft", "House for sale"),
        ("$615,000", "9 Rainey St UNIT 1907, Austin, TX 78701", "2 bd", "2 ba", "1,105 sqft", "Condo for sale"),
        ("$374,500", "6911 Thistle Hill Way, Austin, TX 78754", "3 bd", "2.5 ba", "1,876 sqft", "New construction"),
        ("$799,000", "2107 Kinney Ave, Austin, TX 78704", "3 bd", "3 ba", "2,210 sqft", "Townhouse for sale"),
    ]
    cards = []
    recs = []
    for i, (price, addr, bd, ba, sq, kind) in enumerate(homes):
        zpid = 29384000 + i * 311
        slug = addr.replace(",", "").replace(" ", "-")
        cards.append(f'''<li class="ListItem-c11n-8-84-3__sc-10e22w8-0 StyledListCardWrapper"><article data-test="property-card" class="StyledPropertyCard-c11n-8-84-3__sc-jvwq6q-0 gfmeqv property-card list-card_not-saved" role="presentation" id="zpid_{zpid}">
<div class="StyledPropertyCardPhotoWrapper"><a href="/homedetails/{slug}/{zpid}_zpid/" tabindex="-1" aria-hidden="true"><img src="https://photos.example.net/fp/{zpid}-p_e.jpg" alt="{E(addr)}" class="Image-c11n-8-84-3__sc-1rtmhsc-0"></a><div class="StyledPropertyCardBadgeArea"><span class="StyledPropertyCardBadge">{"Open: Sat 1-3pm" if i % 2 == 0 else "3D Tour"}</span></div></div>
<div class="StyledPropertyCardDataWrapper-c11n-8-84-3__sc-hfbvv9-0 fzDzUX property-card-data"><a href="/homedetails/{slug}/{zpid}_zpid/" data-test="property-card-link" class="StyledPropertyCardDataArea-c11n-8-84-3__sc-10i1r6-0 jnnxAW property-card-link" tabindex="0"><address data-test="property-card-addr">{E(addr)}</address></a>
<div class="StyledPropertyCardDataArea-c11n-8-84-3__sc-10i1r6-0 fDSTNn"><div class="PropertyCardWrapper__StyledPriceGridContainer-srp-8-100-0__sc-16e8gqd-0"><span data-test="property-card-price" class="PropertyCardWrapper__StyledPriceLine-srp-8-100-0__sc-16e8gqd-1 iMKTKr">{price}</span></div></div>
<div class="StyledPropertyCardDataArea-c11n-8-84-3__sc-10i1r6-0 dbDWjx"><div class="StyledPropertyCardHomeDetails"><span class="hd-stat">{bd}</span> | <span class="hd-stat">{ba}</span> | <span class="hd-stat">{sq}</span><span class="hd-type"> - {kind}</span></div></div>
<div class="StyledPropertyCardDataArea-c11n-8-84-3__sc-10i1r6-0 jretvB">KELLER WILLIAMS REALTY</div></div></article></li>''')
        recs.append({"price": price, "address": addr, "beds": bd, "baths": ba, "sqft": sq})
    ad = '''<li class="ListItem-c11n-8-84-3__sc-10e22w8-0 StyledListCardWrapper"><div class="nav-ad-empty" id="nav-ad-container"><div class="search-page-list-ad"><span>Advertisement</span><a href="https://mortgage.example.com/?utm=srp"><strong>Get pre-qualified</strong> — see what you can afford in 3 minutes</a></div></div></li>'''
    cards.insert(3, ad)
    doc = f'''<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Austin TX Real Estate - Austin TX Homes For Sale | HomeFinder</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{GTAG}
<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"searchPageState":{{"cat1":{{"searchList":{{"totalResultCount":6}}}}}}}}}}}}</script></head>
<body><div id="__next"><header class="site-header"><a href="/" class="logo">HomeFinder</a><nav><ul><li><a href="/homes/for_sale/">Buy</a></li><li><a href="/homes/for_rent/">Rent</a></li><li><a href="/sell">Sell</a></li><li><a href="/home-loans">Home Loans</a></li><li><a href="/agent-finder">Agent finder</a></li></ul></nav><a href="/login">Sign in</a></header>
<div class="search-page-container"><div id="search-page-map-container" class="search-page-map"><div class="map-placeholder">Map data ©2024 Google</div></div>
<div id="grid-search-results" class="result-list-container"><div class="search-page-list-header"><h1 class="search-title">Austin TX Real Estate &amp; Homes For Sale</h1><div class="search-subtitle"><span class="result-count">6 results</span><button class="sort">Sort: Homes for You</button></div></div>
<ul class="List-c11n-8-84-3__sc-1smrmqp-0 StyledSearchListWrapper-srp__sc-1ieen0c-0 photo-cards">{"".join(cards)}</ul></div></div>
<footer class="site-footer"><p>HomeFinder Group is committed to ensuring digital accessibility.</p><ul><li><a href="/about">About</a></li><li><a href="/terms">Terms of use</a></li><li><a href="/privacy">Privacy Portal</a></li></ul><p>© 2006-2024 HomeFinder</p></footer></div></body></html>'''
    write(site, "index.html", doc)
    case(site, "Get me the price, address, beds, baths and sqft for every listing on {base}/index.html",
         ["price", "address", "beds", "baths", "sqft"], recs)

# ---------------------------------------------------------------- 05 forum
def s05():
    site = "05-forum"
    threads = [
        ("Welcome! Read this before posting", "Announcements", "2.3k replies", "2024-05-13T07:41:00+00:00", "8 minutes ago", True),
        ("Router keeps dropping 5GHz band after firmware update", "Networking", "1.2k replies", "2024-05-13T06:58:00+00:00", "51 minutes ago", False),
        ("Best budget NAS for a home lab in 2024?", "Storage", "348 replies", "2024-05-13T05:12:00+00:00", "2 hours ago", False),
        ("Docker container can't resolve DNS on Ubuntu 24.04", "Linux", "27 replies", "2024-05-13T03:30:00+00:00", "4 hours ago", False),
        ("Show off your rack: May 2024 edition", "Showcase", "96 replies", "2024-05-12T22:05:00+00:00", "9 hours ago", False),
        ("Proxmox vs. ESXi after the Broadcom changes", "Virtualization", "1.9k replies", "2024-05-12T18:44:00+00:00", "13 hours ago", False),
        ("UPS recommendations for a small rack", "Power", "14 replies", "2024-05-12T11:20:00+00:00", "20 hours ago", False),
        ("Wireguard tunnel slow only in one direction", "Networking", "8 replies", "2024-05-11T19:02:00+00:00", "yesterday", False),
        ("Cheap 10GbE switch that doesn't sound like a jet engine?", "Networking", "212 replies", "2024-05-10T16:37:00+00:00", "3 days ago", False),
        ("Pi-hole stopped blocking ads on iOS devices", "Software", "41 replies", "2024-05-08T09:15:00+00:00", "5 days ago", False),
    ]
    pages = [threads[:6], threads[6:]]
    recs = []
    names = ["mkoenig", "rustacean", "lena_h", "opsguy", "tinkerer", "byte_me", "netnerd", "ada_l", "patchwork", "hydra"]
    for p, chunk in enumerate(pages):
        items = []
        for i, (title, tag, replies, dt, rel, pinned) in enumerate(chunk):
            k = p * 6 + i
            did = 1840 + k * 17
            author = names[k]
            replier = names[(k + 3) % 10]
            slug = title.lower().replace(" ", "-").replace("?", "").replace("!", "").replace(":", "").replace(".", "")
            pin = '<li class="item-sticky"><span class="Badge Badge--sticky" title="Sticky"><i aria-hidden="true" class="icon fas fa-thumbtack Badge-icon"></i></span></li>' if pinned else ''
            items.append(f'''<li data-id="{did}" class="DiscussionList-item"><div class="DiscussionListItem{" DiscussionListItem--sticky" if pinned else ""}">
<div class="Dropdown DiscussionListItem-controls"><button class="Dropdown-toggle Button Button--icon Button--flat" aria-haspopup="menu" aria-label="Discussion dropdown menu toggle"><i aria-hidden="true" class="icon fas fa-ellipsis-v Button-icon"></i></button></div>
<a class="Slidable-underneath Slidable-underneath--right Slidable-underneath--elastic disabled"><i aria-hidden="true" class="icon fas fa-check"></i></a>
<div class="DiscussionListItem-content Slidable-content read"><a href="/u/{author}" class="DiscussionListItem-author" title=""><img class="Avatar" loading="lazy" src="/assets/avatars/{author}.png" alt="{author}"></a>
<ul class="DiscussionListItem-badges badges">{pin}</ul>
<a href="/d/{did}-{slug}" class="DiscussionListItem-main"><h2 class="DiscussionListItem-title">{E(title)}</h2>
<ul class="DiscussionListItem-info"><li class="item-tags"><span class="TagsLabel "><span class="TagLabel colored text-contrast--light" style="--tag-bg: #5b9bd5;"><span class="TagLabel-text"><span class="TagLabel-name">{E(tag)}</span></span></span></span></li>
<li class="item-terminalPost"><span><i aria-hidden="true" class="icon fas fa-reply "></i><span class="username">{replier}</span> replied <time pubdate="" datetime="{dt}" title="{dt[:10]} {dt[11:16]}" data-humantime="">{rel}</time></span></li></ul></a>
<span class="DiscussionListItem-count" title="Mark as Read"><span aria-hidden="true">{replies}</span></span></div></div></li>''')
            recs.append({"title": title, "tag": tag, "replies": replies, "last_reply_time": rel})
        more = '<div class="DiscussionList-loadMore"><a class="Button" href="page2.html" rel="next">Next page ›</a></div>' if p == 0 else '<div class="DiscussionList-loadMore"><a class="Button" href="index.html" rel="prev">‹ Previous page</a></div>'
        doc = f'''<!doctype html><html dir="ltr" lang="en"><head><meta charset="utf-8"><title>HomeLab Forum</title><link rel="stylesheet" href="/assets/forum.css?v=4f1b6a2d"><meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1"><link rel="canonical" href="/">
<script>document.getElementById('flarum-loading').style.display = 'block'; var flarum = {{extensions: {{}}}};</script></head>
<body><div id="app" class="App affix"><div id="app-navigation" class="App-navigation"><div class="container"><div class="Navigation ButtonGroup"></div></div></div>
<div id="drawer" class="App-drawer"><header id="header" class="App-header"><div id="header-navigation" class="Header-navigation"></div><div class="container"><div class="Header-title"><a href="/" id="home-link">HomeLab Forum</a></div>
<div id="header-primary" class="Header-primary"><ul class="Header-controls"><li class="item-link0"><a class="LinksButton Button Button--link" href="/rules">Rules</a></li></ul></div>
<div id="header-secondary" class="Header-secondary"><ul class="Header-controls"><li class="item-search"><div class="Search"><input aria-label="Search Forum" class="FormControl" type="search" placeholder="Search Forum"></div></li><li class="item-signUp"><button class="Button Button--link" type="button"><span class="Button-label">Sign Up</span></button></li><li class="item-logIn"><button class="Button Button--link" type="button"><span class="Button-label">Log In</span></button></li></ul></div></div></header></div>
<main class="App-content"><div id="content"><div class="IndexPage"><div class="container"><div class="sideNavContainer"><nav class="IndexPage-nav sideNav"><ul><li class="item-newDiscussion"><button class="Button Button--primary IndexPage-newDiscussion">Start a Discussion</button></li>
<li class="item-nav"><ul class="Dropdown-menu dropdown-menu"><li class="item-allDiscussions active"><a class="hasIcon" href="/"><span class="Button-label">All Discussions</span></a></li><li class="item-tags"><a class="hasIcon" href="/tags"><span class="Button-label">Tags</span></a></li>
<li class="item-tag1"><a class="TagLinkButton hasIcon" href="/t/networking"><span class="Button-label">Networking</span></a></li><li class="item-tag2"><a class="TagLinkButton hasIcon" href="/t/storage"><span class="Button-label">Storage</span></a></li><li class="item-tag3"><a class="TagLinkButton hasIcon" href="/t/linux"><span class="Button-label">Linux</span></a></li></ul></li></ul></nav>
<div class="IndexPage-results sideNavOffset"><div class="IndexPage-toolbar"><ul class="IndexPage-toolbar-view"><li class="item-sort"><button class="Dropdown-toggle Button">Latest</button></li></ul></div>
<div class="DiscussionList"><ul role="feed" aria-busy="false" class="DiscussionList-discussions">{"".join(items)}</ul>{more}</div></div></div></div></div></div></main></div>
<footer class="forum-footer"><p>Powered by Flarum · <a href="/privacy">Privacy</a></p></footer></body></html>'''
        write(site, "index.html" if p == 0 else "page2.html", doc)
    case(site, "Grab the title, tag, replies and last reply time of every discussion on {base}/index.html — both pages",
         ["title", "tag", "replies", "last_reply_time"], recs)

# ---------------------------------------------------------------- 06 GitHub-like repo list
def s06():
    site = "06-github-repos"
    repos = [
        ("facebook", "react", "The library for web and native user interfaces.", "JavaScript", "#f1e05a", "228,512", "46,712"),
        ("rust-lang", "rust", "Empowering everyone to build reliable and efficient software.", "Rust", "#dea584", "96,301", "12,455"),
        ("ollama", "ollama", "Get up and running with Llama 3, Mistral, Gemma, and other large language models.", "Go", "#00ADD8", "72,118", "5,204"),
        ("karpathy", "llm.c", "LLM training in simple, raw C/CUDA", "Cuda", "#3A4E3A", "20,664", "2,301"),
        ("awesome-selfhosted", "awesome-selfhosted", "A list of Free Software network services and web applications which can be hosted on your own servers", None, None, "187,940", "8,920"),
        ("jgm", "pandoc-templates", None, "TeX", "#3D6117", "1,402", "742"),
        ("astral-sh", "uv", "An extremely fast Python package installer and resolver, written in Rust.", "Rust", "#dea584", "15,880", "412"),
        ("zed-industries", "zed", "Code at the speed of thought – Zed is a high-performance, multiplayer code editor from the creators of Atom and Tree-sitter.", "Rust", "#dea584", "39,775", "2,087"),
    ]
    arts = []
    recs = []
    for i, (owner, name, desc, lang, color, stars, forks) in enumerate(repos):
        d = f'<p class="col-9 color-fg-muted my-1 pr-4">\n            {E(desc)}\n          </p>' if desc else ''
        l = f'<span class="d-inline-block ml-0 mr-3">\n  <span class="repo-language-color" style="background-color: {color}"></span>\n  <span itemprop="programmingLanguage">{lang}</span>\n</span>' if lang else ''
        arts.append(f'''
    <article class="Box-row">
      <div class="float-right d-flex">
          <div data-view-component="true" class="BtnGroup d-flex">
            <a href="/login?return_to=%2F{owner}%2F{name}" rel="nofollow" data-hydro-click="{{&quot;event_type&quot;:&quot;authentication.click&quot;}}" aria-label="You must be signed in to star a repository" data-view-component="true" class="tooltipped tooltipped-sw btn-sm btn">    <svg aria-hidden="true" height="16" viewBox="0 0 16 16" version="1.1" width="16" data-view-component="true" class="octicon octicon-star v-align-text-bottom d-inline-block mr-2"><path d="M8 .25a.75.75 0 0 1 .673.418l1.882 3.815 4.21.612"></path></svg><span data-view-component="true" class="d-inline">
              Star
</span></a></div>
      </div>
      <h2 class="h3 lh-condensed">
        <a data-hydro-click="{{&quot;event_type&quot;:&quot;explore.click&quot;}}" href="/{owner}/{name}" data-view-component="true" class="Link">
          <svg aria-hidden="true" height="16" viewBox="0 0 16 16" version="1.1" width="16" data-view-component="true" class="octicon octicon-repo mr-1 color-fg-muted"><path d="M2 2.5A2.5 2.5 0 0 1 4.5 0h8.75"></path></svg>

          <span data-view-component="true" class="text-normal">
            {owner} /
</span>
          {name}
</a>      </h2>

        {d}

      <div class="f6 color-fg-muted mt-2">
          {l}

          <a href="/{owner}/{name}/stargazers" data-view-component="true" class="Link Link--muted d-inline-block mr-3">
            <svg aria-label="star" role="img" height="16" viewBox="0 0 16 16" version="1.1" width="16" data-view-component="true" class="octicon octicon-star"><path d="M8 .25a.75.75 0 0 1 .673.418l1.882 3.815"></path></svg>
            {stars}
</a>
          <a href="/{owner}/{name}/forks" data-view-component="true" class="Link Link--muted d-inline-block mr-3">
            <svg aria-label="fork" role="img" height="16" viewBox="0 0 16 16" version="1.1" width="16" data-view-component="true" class="octicon octicon-repo-forked"><path d="M5 5.372v.878c0 .414.336.75.75.75h4.5"></path></svg>
            {forks}
</a>
          <span data-view-component="true" class="d-inline-block mr-3">
            Built by
              <a class="d-inline-block" data-hovercard-type="user" data-hovercard-url="/users/{owner}/hovercard" href="/{owner}"><img class="avatar mb-1 avatar-user" src="https://avatars.example.com/u/{1000+i}?s=40&amp;v=4" width="20" height="20" alt="@{owner}"></a>
</span>
          <span class="d-inline-block float-sm-right">
            <svg aria-hidden="true" height="16" viewBox="0 0 16 16" version="1.1" width="16" class="octicon octicon-star"><path d="M8 .25a.75"></path></svg>
            {(i*97) % 900 + 31} stars today
          </span>
      </div>
    </article>''')
        recs.append({"repository_name": f"{owner} / {name}", "url": f"{{base}}/{owner}/{name}", "description": desc or "",
                     "language": lang or "", "stars": stars})
    doc = f'''
<!DOCTYPE html>
<html lang="en"  data-color-mode="auto" data-light-theme="light" data-dark-theme="dark" data-a11y-animated-images="system" data-a11y-link-underlines="true">
  <head>
    <meta charset="utf-8">
  <link rel="dns-prefetch" href="https://github.githubassets.com">
  <link crossorigin="anonymous" media="all" rel="stylesheet" href="https://github.githubassets.com/assets/light-0eace2597ca3.css" />
  <script crossorigin="anonymous" defer="defer" type="application/javascript" src="https://github.githubassets.com/assets/wp-runtime-d3a7b1f0b3a5.js"></script>
  <title>Trending  repositories on GitHub today · GitHub</title>
  <meta name="description" content="GitHub is where people build software.">
  </head>
  <body class="logged-out env-production page-responsive" style="word-wrap: break-word;">
    <div class="logged-out env-production page-responsive">
    <a href="#start-of-content" data-skip-target-assigned="false" class="p-3 color-bg-accent-emphasis color-fg-on-emphasis show-on-focus js-skip-to-content">Skip to content</a>
    <header class="HeaderMktg header-logged-out js-details-container js-header Details f4 py-3" role="banner">
      <div class="container-xl d-flex flex-column flex-lg-row flex-items-center p-responsive height-full position-relative z-1">
        <nav aria-label="Global"><ul class="d-lg-flex list-style-none"><li><button type="button" class="HeaderMenu-link">Product</button></li><li><button type="button" class="HeaderMenu-link">Solutions</button></li><li><button type="button" class="HeaderMenu-link">Open Source</button></li><li><a class="HeaderMenu-link" href="/pricing">Pricing</a></li></ul></nav>
        <a href="/login" class="HeaderMenu-link HeaderMenu-link--sign-in">Sign in</a> <a href="/signup" class="HeaderMenu-link HeaderMenu-link--sign-up">Sign up</a>
      </div>
    </header>
  <div id="start-of-content" class="show-on-focus"></div>
  <div class="application-main " data-commit-hovercards-enabled data-discussion-hovercards-enabled data-issue-and-pr-hovercards-enabled>
    <main>
  <div class="color-bg-default border-bottom">
    <div class="container-lg p-responsive text-center py-6">
      <h1 class="h1">Trending</h1>
      <p class="f4 color-fg-muted col-md-6 mx-auto">See what the GitHub community is most excited about today.</p>
    </div>
  </div>
  <div class="position-relative container-lg p-responsive pt-6">
    <div class="Box">
      <div class="Box-header d-md-flex flex-items-center flex-justify-between">
        <nav class="subnav mb-0" aria-label="Trending"><a class="js-selected-navigation-item selected subnav-item" aria-current="page" href="/trending">Repositories</a><a class="subnav-item" href="/trending/developers">Developers</a></nav>
        <div class="d-sm-flex flex-justify-between"><details class="details-reset details-overlay select-menu"><summary class="btn-link select-menu-button">Spoken Language: <span class="text-bold">Any</span></summary></details><details class="details-reset details-overlay select-menu"><summary class="btn-link select-menu-button">Date range: <span class="text-bold">Today</span></summary></details></div>
      </div>
      <div data-hpc>
{"".join(arts)}
      </div>
    </div>
  </div>
    </main>
  </div>
  <footer class="footer pt-8 pb-6 f6 color-fg-muted p-responsive" role="contentinfo"><h2 class='sr-only'>Footer</h2><div class="d-flex flex-items-center"><span>&copy; 2024 GitHub,&nbsp;Inc.</span></div><nav aria-label="Footer"><ul><li><a href="https://docs.github.com/site-policy/github-terms/github-terms-of-service">Terms</a></li><li><a href="https://docs.github.com/site-policy/privacy-policies/github-privacy-statement">Privacy</a></li><li><a href="https://www.githubstatus.com/">Status</a></li><li><a href="https://docs.github.com">Docs</a></li></ul></nav></footer>
    </div>
  </body>
</html>
'''
    write(site, "index.html", doc)
    case(site, "List the repository name, url, description, language and stars for each repo on {base}/index.html",
         ["repository_name", "url", "description", "language", "stars"], recs)

# ---------------------------------------------------------------- 07 events, CSS-in-JS + Event JSON-LD
def s07():
    site = "07-events"
    evs = [
        ("Khruangbin: A LA SALA Tour", "Sat, Jun 15 • 7:30 PM", "2024-06-15T19:30:00-07:00", "The Greek Theatre · Berkeley, CA", "From $65.50"),
        ("SF Startup Founders Mixer", "Tue, Jun 18 • 6:00 PM", "2024-06-18T18:00:00-07:00", "The Hall SF · San Francisco, CA", "Free"),
        ("Sourdough Bread Workshop for Beginners", "Sun, Jun 16 • 10:00 AM", "2024-06-16T10:00:00-07:00", "The Mill Kitchen · Oakland, CA", "From $85.00"),
        ("Outdoor Cinema: Jurassic Park", "Fri, Jun 21 • 8:45 PM", "2024-06-21T20:45:00-07:00", "Dolores Park · San Francisco, CA", "From $12.00"),
        ("Bay Area Rust Meetup — June", "Wed, Jun 19 • 6:30 PM", "2024-06-19T18:30:00-07:00", "GitHub HQ · San Francisco, CA", "Free"),
        ("Comedy Night at the Punch Line", "Thu, Jun 20 • 9:00 PM", "2024-06-20T21:00:00-07:00", "Punch Line · San Francisco, CA", "From $25.00"),
        ("Sunset Yoga on the Pier", "Sat, Jun 22 • 7:00 PM", "2024-06-22T19:00:00-07:00", "Pier 39 · San Francisco, CA", "From $20.00"),
    ]
    ld = []
    cards = []
    recs = []
    for i, (name, date, iso, venue, price) in enumerate(evs):
        eid = 88213450000 + i * 9931
        vname, city = venue.split(" · ")
        ld.append({"@context": "https://schema.org", "@type": "Event", "name": name, "startDate": iso,
                   "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                   "location": {"@type": "Place", "name": vname, "address": {"@type": "PostalAddress", "addressLocality": city.split(",")[0], "addressRegion": "CA"}},
                   "offers": {"@type": "AggregateOffer", "lowPrice": "0.00" if price == "Free" else price.replace("From $", ""), "priceCurrency": "USD"},
                   "url": f"/e/{name.lower().replace(' ', '-')}-tickets-{eid}"})
        promoted = i == 2
        cards.append(f'''<li class="css-1x2y3z sc-abc123 eNhZqL"><div class="css-1qr0ap1 sc-kgflAQ jTxmEZ" data-testid="search-event"><section class="css-1l2tu8c sc-iBYQkv"><div class="css-m7u0q9 sc-ftTHYK bVYXrA"><a href="/e/{name.lower().replace(' ', '-')}-tickets-{eid}" class="css-1aw6ft8 sc-pyfCe event-card-link" aria-label="View {E(name)}" data-event-id="{eid}"><img class="css-vz1c2x sc-jrcTuL" loading="lazy" src="https://img.evbuc.example/{eid}.jpg" alt="{E(name)} primary image"></a></div>
<div class="css-1ghi4ad sc-hLBbgP Stack_root__1ksk7"><a href="/e/{name.lower().replace(' ', '-')}-tickets-{eid}" class="css-1aw6ft8 sc-pyfCe event-card-link" tabindex="0"><h3 class="css-8ab2kd sc-fHeRUh Typography_root__487rx">{E(name)}</h3></a>
<p class="css-1n0qtu8 sc-kDDrLX Typography_root__487rx Typography_body-md__487rx">{E(date)}</p>
<p class="css-1n0qtu8 sc-kDDrLX Typography_root__487rx Typography_body-md__487rx">{E(venue)}</p>
<div class="css-b9p6j0 sc-iAEawV"><p class="css-1ki0gm sc-hmdomO Typography_root__487rx Typography_body-md-bold__487rx">{E(price)}</p></div>
{"<div class='css-17tq4x6 sc-gKPRtg'><p class='css-ybbpbv'>Promoted</p></div>" if promoted else ""}
<div class="css-1onm8s8 sc-fnGiBr"><span class="css-qzq4mc">{(i*37)%300 + 12} followers</span></div></div></section></div></li>''')
        recs.append({"event_name": name, "date": date, "venue": venue, "price": price})
    doc = f'''<!DOCTYPE html><html lang="en-us"><head><meta charset="utf-8"><title>Things to do in San Francisco this week | EventHub</title>
<meta property="og:title" content="Things to do in San Francisco this week"><meta name="viewport" content="initial-scale=1, width=device-width">
{"".join('<script type="application/ld+json">' + json.dumps(x, ensure_ascii=False) + '</script>' for x in ld)}
<style data-emotion="css 1x2y3z 1qr0ap1 8ab2kd 1n0qtu8 1ki0gm" data-s="">.css-1x2y3z{{list-style:none;margin:0 0 16px}}.css-8ab2kd{{font-size:18px;font-weight:700}}.css-1n0qtu8{{color:#6f7287}}.css-1ki0gm{{font-weight:600}}</style>
<style data-styled="active" data-styled-version="5.3.11">.eNhZqL{{display:block}}.jTxmEZ{{border-radius:8px}}</style>
{GTAG}</head>
<body><div id="root"><div class="css-1b8c3dq sc-eDvSVe"><header class="css-kpkbr3 sc-jSUZER GlobalNav_root"><a href="/" class="css-1wh0x1s" aria-label="EventHub home"><svg viewBox="0 0 200 36" class="css-4p7x0u"><path d="M185.5 ..."></path></svg></a>
<nav class="css-y8k4s5"><a class="css-16n1g0y" href="/d/ca--san-francisco/events/">Find Events</a><a class="css-16n1g0y" href="/organizer/overview/">Create Events</a><a class="css-16n1g0y" href="/help/">Help Center</a><a class="css-16n1g0y" href="/signin/">Log In</a><a class="css-16n1g0y" href="/signin/signup/">Sign Up</a></nav></header>
{COOKIE}
<main class="css-1o6wm5k sc-hBxehG"><div class="css-1r4u6v7 sc-fEXmlR"><h1 class="css-1jpx0e8 sc-bjUoiL">Things to do in San Francisco</h1>
<ul class="css-1wqg2c3 sc-dmctIk FilterPills"><li class="css-yl4t1b"><button class="css-6g81yq">All</button></li><li class="css-yl4t1b"><button class="css-6g81yq">For you</button></li><li class="css-yl4t1b"><button class="css-6g81yq">Today</button></li><li class="css-yl4t1b"><button class="css-6g81yq">This weekend</button></li><li class="css-yl4t1b"><button class="css-6g81yq">Free</button></li></ul>
<section class="css-bvm3w4 sc-gswNZR"><h2 class="css-10cw6wc sc-bcXHqe">Events this week</h2><ul class="css-1bh0oxn sc-dkzDqf SearchResultPanelContentEventCardList-module__eventList___2wk-D">{"".join(cards)}</ul></section></div></main>
<footer class="css-t8s8sp sc-ikZpkk"><div class="css-1gk2uda"><a href="/l/about/">About</a> <a href="/help/en-us/articles/about-privacy">Privacy</a> <a href="/sitemap/">Sitemap</a> <span>© 2024 EventHub</span></div></footer></div></div>
<script>window.__SERVER_DATA__ = {{"search_data":{{"events":{{"results":[]}}}}}};</script></body></html>'''
    write(site, "index.html", doc)
    case(site, "Hi! I need the event name, date, venue and price of each event listed on {base}/index.html",
         ["event_name", "date", "venue", "price"], recs)

# ---------------------------------------------------------------- 08 recipes (2 pages)
def s08():
    site = "08-recipes"
    rs = [
        ("Creamy Tuscan Chicken", "35 mins", "520 kcal", "Dinner"),
        ("Classic Banana Bread", "1 hr 5 mins", "280 kcal", "Baking"),
        ("Thai Peanut Noodle Salad", "20 mins", "410 kcal", "Salads"),
        ("Slow Cooker Beef Chili", "6 hrs 15 mins", "465 kcal", "Soups & Stews"),
        ("Shakshuka with Feta", "30 mins", "310 kcal", "Breakfast"),
        ("Lemon Garlic Butter Salmon", "25 mins", "390 kcal", "Dinner"),
        ("Overnight Oats, 5 Ways", "5 mins", "250 kcal", "Breakfast"),
        ("Crispy Smashed Potatoes", "50 mins", "230 kcal", "Sides"),
        ("Chocolate Chip Cookies", "40 mins", "190 kcal", "Baking"),
    ]
    pages = [rs[:5], rs[5:]]
    recs = []
    for p, chunk in enumerate(pages):
        cards = []
        for i, (name, t, cal, cat) in enumerate(chunk):
            rid = 214780 + (p*5+i) * 61
            slug = name.lower().replace(",", "").replace("&", "and").replace(" ", "-")
            cards.append(f'''<a id="mntl-card-list-items_{rid}" class="comp mntl-card-list-items mntl-document-card mntl-card card card--no-image" data-doc-id="{rid}" data-ordinal="{p*5+i+1}" href="/recipe/{rid}/{slug}/" data-cta="" data-tax-levels="" data-tag="{cat}">
<div class="loc card__top"><div class="card__media mntl-universal-image card__media universal-image__container"><div class="img-placeholder" style="padding-bottom:66.6%;"><img data-src="https://www.example-recipes.com/thmb/{rid}.jpg" width="282" height="188" alt="{E(name)} served on a plate" class="card__img universal-image__image lazyload"></div></div></div>
<div class="card__content" data-tag="{cat}"><div class="card__header"><span class="card__header-label">{E(cat)}</span></div><span class="card__title"><span class="card__title-text ">{E(name)}</span></span>
<div class="mntl-recipe-card-meta"><dl class="recipe-facts"><div class="recipe-facts__item"><dt class="recipe-facts__label">Total Time</dt><dd class="recipe-facts__value">{t}</dd></div><div class="recipe-facts__item"><dt class="recipe-facts__label">Calories</dt><dd class="recipe-facts__value">{cal}</dd></div></dl>
<div class="mntl-recipe-star-rating recipe-card-meta__rating"><svg class="icon icon-star "><use href="#icon-star"></use></svg><svg class="icon icon-star "><use href="#icon-star"></use></svg><svg class="icon icon-star "><use href="#icon-star"></use></svg><svg class="icon icon-star "><use href="#icon-star"></use></svg><svg class="icon icon-star-half "><use href="#icon-star-half"></use></svg></div><div class="mntl-recipe-card-meta__rating-count-number">{(rid % 900) + 40}<span class="recipe-card-meta__rating-count-text">Ratings</span></div></div></div></a>''')
            recs.append({"recipe_name": name, "total_time": t, "calories": cal})
            if p == 0 and i == 2:
                cards.append('''<div class="comp mntl-card-list-items mntl-card card card--newsletter"><div class="card__content"><span class="card__title"><span class="card__title-text">Get our Daily Dish newsletter</span></span><p>Fuss-free recipes, delivered to your inbox.</p><form><input type="email" placeholder="Email address"><button>Sign up</button></form></div></div>''')
        nxt = '<a class="mntl-pagination__next" href="page-2.html" aria-label="Next page"><span>Next</span> <svg class="icon icon-chevron-right"></svg></a>' if p == 0 else '<a class="mntl-pagination__prev" href="index.html" aria-label="Previous page"><svg class="icon icon-chevron-left"></svg> <span>Previous</span></a>'
        doc = f'''<!DOCTYPE html><html id="taxonomysc_1-0" class="comp taxonomysc mntl-html no-js" data-ab="99,99" lang="en"><head class="loc head"><meta charset="utf-8"><title>Weeknight Dinner Recipes</title>{GTAG}
<link rel="stylesheet" href="/static/4.112.0/cache/eNqdUstOwzAQ.min.css"><script>(function(){{Mntl.csr=true}})();</script></head>
<body class="mntl-body"><svg class="is-hidden"><defs><symbol id="icon-star"><path d="M12 17.27L18.18 21"></path></symbol></defs></svg>
<header class="comp header mntl-header"><div class="mntl-header__logo"><a href="/">Example Recipes</a></div><nav class="mntl-header-nav"><ul><li><a href="/recipes/">Dinners</a></li><li><a href="/recipes/meals/">Meals</a></li><li><a href="/recipes/ingredients/">Ingredients</a></li><li><a href="/recipes/occasions/">Occasions</a></li><li><a href="/kitchen-tips/">Kitchen Tips</a></li></ul></nav></header>
<div class="mntl-leaderboard-spacer"><div id="leaderboard-flex-1" class="mntl-dynamic-ad mntl-gpt-adunit gpt leaderboard"><div class="wrapper">Advertisement</div></div></div>
<main id="main" class="loc main"><h1 class="comp mntl-taxonomysc-heading mntl-text-block">Weeknight Dinner Recipes</h1><p class="mntl-taxonomysc-intro">Our best easy recipes, tested by real home cooks.</p>
<div id="mntl-taxonomysc-article-list-group_1-0" class="comp mntl-taxonomysc-article-list-group mntl-block"><div class="comp card-list mntl-universal-card-list mntl-document-card-list mntl-card-list mntl-block">{"".join(cards)}</div></div>
<nav class="comp mntl-pagination" aria-label="pagination">{nxt}</nav></main>
<footer class="comp footer mntl-footer"><ul><li><a href="/about-us">About Us</a></li><li><a href="/editorial-guidelines">Editorial Process</a></li><li><a href="/privacy-policy">Privacy Policy</a></li></ul><p>© 2024 Example Recipes. All rights reserved.</p></footer></body></html>'''
        write(site, "index.html" if p == 0 else "page-2.html", doc)
    case(site, "I need the recipe name, total time and calories of all the recipes on {base}/index.html (there are 2 pages)",
         ["recipe_name", "total_time", "calories"], recs)

# ---------------------------------------------------------------- 09 docs table (Sphinx)
def s09():
    site = "09-docs-table"
    opts = [
        ("bind", "str", "127.0.0.1:8000", "The socket to bind. A string of the form HOST, HOST:PORT or unix:PATH."),
        ("workers", "int", "1", "The number of worker processes for handling requests."),
        ("worker_class", "str", "sync", "The type of workers to use: sync, eventlet, gevent or a dotted import path."),
        ("timeout", "int", "30", "Workers silent for more than this many seconds are killed and restarted."),
        ("keepalive", "int", "2", "The number of seconds to wait for requests on a Keep-Alive connection."),
        ("max_requests", "int", "0", "The maximum number of requests a worker will process before restarting. 0 disables restarts."),
        ("accesslog", "str", "None", "The access log file to write to. Use - to log to stdout."),
        ("preload_app", "bool", "False", "Load application code before the worker processes are forked."),
    ]
    rows = []
    recs = []
    for i, (o, t, d, desc) in enumerate(opts):
        cls = "row-even" if i % 2 == 0 else "row-odd"
        desc_html = E(desc)
        for word in ("sync", "eventlet", "gevent", "-"):
            pass
        rows.append(f'''<tr class="{cls}"><td><p><code class="docutils literal notranslate"><span class="pre">{o}</span></code></p></td>
<td><p><code class="docutils literal notranslate"><span class="pre">{t}</span></code></p></td>
<td><p><code class="docutils literal notranslate"><span class="pre">{E(d)}</span></code></p></td>
<td><p>{desc_html}</p></td>
</tr>''')
        recs.append({"option": o, "type": t, "default": d, "description": desc})
    doc = f'''<!DOCTYPE html>
<html class="writer-html5" lang="en" data-content_root="./">
<head>
  <meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Settings &mdash; Greenhorn 22.0.0 documentation</title>
      <link rel="stylesheet" type="text/css" href="_static/pygments.css?v=80d5e7a1" />
      <link rel="stylesheet" type="text/css" href="_static/css/theme.css?v=19f00094" />
      <script src="_static/documentation_options.js?v=5929fcd5"></script>
      <script src="_static/doctools.js?v=888ff710"></script>
    <script src="_static/js/theme.js"></script>
    <link rel="index" title="Index" href="genindex.html" />
    <link rel="search" title="Search" href="search.html" />
    <link rel="next" title="Deploying" href="deploy.html" />
    <link rel="prev" title="Configuration Overview" href="configure.html" />
</head>
<body class="wy-body-for-nav">
  <div class="wy-grid-for-nav">
    <nav data-toggle="wy-nav-shift" class="wy-nav-side">
      <div class="wy-side-scroll">
        <div class="wy-side-nav-search" ><a href="index.html" class="icon icon-home">Greenhorn</a>
<div role="search"><form id="rtd-search-form" class="wy-form" action="search.html" method="get"><input type="text" name="q" placeholder="Search docs" aria-label="Search docs" /></form></div></div>
<div class="wy-menu wy-menu-vertical" data-spy="affix" role="navigation" aria-label="Navigation menu">
<p class="caption" role="heading"><span class="caption-text">Contents</span></p>
<ul class="current">
<li class="toctree-l1"><a class="reference internal" href="install.html">Installation</a></li>
<li class="toctree-l1"><a class="reference internal" href="run.html">Running Greenhorn</a></li>
<li class="toctree-l1"><a class="reference internal" href="configure.html">Configuration Overview</a></li>
<li class="toctree-l1 current"><a class="current reference internal" href="#">Settings</a><ul>
<li class="toctree-l2"><a class="reference internal" href="#config-file">Config File</a></li>
<li class="toctree-l2"><a class="reference internal" href="#server-settings">Server Settings</a></li></ul></li>
<li class="toctree-l1"><a class="reference internal" href="deploy.html">Deploying</a></li>
</ul></div></div></nav>
    <section data-toggle="wy-nav-shift" class="wy-nav-content-wrap">
      <div class="wy-nav-content"><div class="rst-content">
          <div role="navigation" aria-label="Page navigation"><ul class="wy-breadcrumbs"><li><a href="index.html" class="icon icon-home" aria-label="Home"></a></li><li class="breadcrumb-item active">Settings</li>
      <li class="wy-breadcrumbs-aside"><a href="_sources/settings.rst.txt" rel="nofollow"> View page source</a></li></ul><hr/></div>
          <div role="main" class="document" itemscope="itemscope" itemtype="http://schema.org/Article">
           <div itemprop="articleBody">
  <section id="settings">
<span id="id1"></span><h1>Settings<a class="headerlink" href="#settings" title="Link to this heading"></a></h1>
<p>This is an exhaustive list of settings for Greenhorn. Some settings are only able to be set from a configuration file.</p>
<div class="admonition note"><p class="admonition-title">Note</p><p>Settings can be given as command-line flags, environment variables or in the config file; the command line wins.</p></div>
<section id="config-file"><h2>Config File<a class="headerlink" href="#config-file" title="Link to this heading"></a></h2>
<p>The file is looked up in this order:</p>
<table class="docutils align-default"><thead><tr class="row-odd"><th class="head"><p>Location</p></th><th class="head"><p>Used when</p></th></tr></thead>
<tbody><tr class="row-even"><td><p><code class="docutils literal notranslate"><span class="pre">./greenhorn.conf.py</span></code></p></td><td><p>it exists in the working directory</p></td></tr>
<tr class="row-odd"><td><p><code class="docutils literal notranslate"><span class="pre">$GREENHORN_CONF</span></code></p></td><td><p>the variable is set</p></td></tr></tbody></table>
</section>
<section id="server-settings"><h2>Server Settings<a class="headerlink" href="#server-settings" title="Link to this heading"></a></h2>
<table class="docutils align-default">
<colgroup><col style="width: 18.0%" /><col style="width: 9.0%" /><col style="width: 18.0%" /><col style="width: 55.0%" /></colgroup>
<thead>
<tr class="row-odd"><th class="head"><p>Option</p></th>
<th class="head"><p>Type</p></th>
<th class="head"><p>Default</p></th>
<th class="head"><p>Description</p></th>
</tr>
</thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
</section></section>
           </div></div>
          <footer><div class="rst-footer-buttons" role="navigation" aria-label="Footer"><a href="configure.html" class="btn btn-neutral float-left" title="Configuration Overview" accesskey="p" rel="prev"><span class="fa fa-arrow-circle-left" aria-hidden="true"></span> Previous</a><a href="deploy.html" class="btn btn-neutral float-right" title="Deploying" accesskey="n" rel="next">Next <span class="fa fa-arrow-circle-right" aria-hidden="true"></span></a></div>
  <hr/><div role="contentinfo"><p>&#169; Copyright 2009-2024, Greenhorn authors.</p></div>Built with <a href="https://www.sphinx-doc.org/">Sphinx</a> using a <a href="https://github.com/readthedocs/sphinx_rtd_theme">theme</a> provided by <a href="https://readthedocs.org">Read the Docs</a>.</footer>
        </div></div></section></div>
  <script>jQuery(function () {{ SphinxRtdTheme.Navigation.enable(true); }});</script>
</body>
</html>'''
    write(site, "index.html", doc)
    case(site, "From the settings reference at {base}/index.html, list every server option with its type, default and description",
         ["option", "type", "default", "description"], recs)

# ---------------------------------------------------------------- 10 product page
def s10():
    site = "10-product-page"
    name = "Sony WH-1000XM5 Wireless Industry Leading Noise Canceling Headphones, Black"
    ld = {"@context": "https://schema.org/", "@type": "Product", "name": name, "image": ["https://cdn.example-store.com/p/wh1000xm5-black-1.jpg"],
          "description": "Industry-leading noise cancellation with two processors controlling 8 microphones.", "sku": "WH1000XM5/B", "mpn": "WH1000XM5/B",
          "brand": {"@type": "Brand", "name": "Sony"}, "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.6", "reviewCount": "8412"},
          "offers": {"@type": "Offer", "url": "/p/sony-wh-1000xm5", "priceCurrency": "USD", "price": "328.00", "priceValidUntil": "2024-12-31",
                     "itemCondition": "https://schema.org/NewCondition", "availability": "https://schema.org/InStock", "seller": {"@type": "Organization", "name": "SoundHouse"}}}
    related = [("Bose QuietComfort Ultra Headphones", "$379.00"), ("Sony WF-1000XM5 Truly Wireless Earbuds", "$278.00"),
               ("Apple AirPods Max - Space Gray", "$479.00"), ("Sennheiser Momentum 4 Wireless", "$299.95")]
    rel_html = "".join(f'''<li class="carousel__item product-tile"><a href="/p/{n.lower().replace(' ', '-')}" class="product-tile__link"><img src="https://cdn.example-store.com/t/{k}.jpg" alt=""><h3 class="product-tile__name">{E(n)}</h3></a><div class="product-tile__price"><span class="price">{pr}</span></div><button class="btn btn--secondary">Add to cart</button></li>''' for k, (n, pr) in enumerate(related))
    doc = f'''<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>{E(name)} | SoundHouse</title>
<meta name="description" content="Shop the Sony WH-1000XM5 at SoundHouse. Free shipping.">
<meta property="og:type" content="product"><meta property="og:title" content="{E(name)}"><meta property="og:image" content="https://cdn.example-store.com/p/wh1000xm5-black-1.jpg"><meta property="og:url" content="/p/sony-wh-1000xm5">
<meta property="product:price:amount" content="328.00"><meta property="product:price:currency" content="USD"><meta property="og:site_name" content="SoundHouse">
<script type="application/ld+json">{json.dumps(ld)}</script>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{{"@type":"ListItem","position":1,"name":"Audio","item":"/c/audio"}},{{"@type":"ListItem","position":2,"name":"Headphones","item":"/c/headphones"}}]}}</script>
{GTAG}<link rel="stylesheet" href="/assets/app.8c1f2e.css"></head>
<body class="page-product">
<div class="promo-bar">Free 2-day shipping on orders over $50 · <a href="/returns">60-day returns</a></div>
<header class="site-header"><a class="logo" href="/">SoundHouse</a><form class="search" action="/search"><input name="q" placeholder="Search headphones, speakers..."></form><nav><a href="/c/headphones">Headphones</a><a href="/c/speakers">Speakers</a><a href="/c/turntables">Turntables</a><a href="/deals">Deals</a></nav><a href="/cart" class="cart">Cart (0)</a></header>
{COOKIE}
<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/c/audio">Audio</a></li><li><a href="/c/headphones">Headphones</a></li><li aria-current="page">Sony WH-1000XM5</li></ol></nav>
<main class="pdp" id="main-content"><div class="pdp__gallery"><img src="https://cdn.example-store.com/p/wh1000xm5-black-1.jpg" alt="{E(name)}"><ul class="pdp__thumbs"><li><img src="t1.jpg" alt="Side view"></li><li><img src="t2.jpg" alt="Folded in case"></li></ul></div>
<div class="pdp__info"><div class="pdp__brand">Brand: <a href="/brands/sony" class="pdp__brand-link">Sony</a></div>
<h1 class="pdp__title">{E(name)}</h1>
<div class="pdp__rating"><span class="stars" style="--rating:4.6" aria-label="Rated 4.6 out of 5"></span> <a href="#reviews">8,412 reviews</a></div>
<div class="pdp__price-block"><span class="price price--sale" data-price="328.00">$328.00</span> <span class="price price--was"><span class="visually-hidden">Was</span> <s>$399.99</s></span> <span class="badge badge--save">Save $71.99</span></div>
<p class="pdp__sku">SKU: <span itemprop="sku">WH1000XM5/B</span></p>
<div class="pdp__stock"><span class="stock stock--in"><svg class="icon icon-check" aria-hidden="true"></svg>In Stock</span> — ships tomorrow</div>
<div class="pdp__swatches"><span>Color: <strong>Black</strong></span><button class="swatch swatch--active" aria-label="Black"></button><button class="swatch" aria-label="Silver"></button><button class="swatch" aria-label="Midnight Blue"></button></div>
<button class="btn btn--primary btn--add">Add to cart</button>
<section class="pdp__highlights"><h2>Highlights</h2><ul><li>Industry-leading noise cancellation</li><li>Up to 30-hour battery life</li><li>Crystal-clear hands-free calling</li></ul></section></div></main>
<section class="carousel related"><h2>Customers also viewed</h2><ul class="carousel__track">{rel_html}</ul></section>
<footer class="site-footer"><div class="newsletter"><h3>Join our newsletter</h3><form><input type="email" placeholder="you@example.com"><button>Subscribe</button></form></div><ul><li><a href="/help">Help</a></li><li><a href="/shipping">Shipping</a></li><li><a href="/privacy">Privacy</a></li></ul><p>© 2024 SoundHouse Inc.</p></footer>
<script src="/assets/app.8c1f2e.js" defer></script></body></html>'''
    write(site, "index.html", doc)
    case(site, "What's the product name, price, brand and availability on {base}/index.html?",
         ["product_name", "price", "brand", "availability"],
         [{"product_name": name, "price": "$328.00", "brand": "Sony", "availability": "In Stock"}])

# ---------------------------------------------------------------- 11 directory with data-testid (2 pages)
def s11():
    site = "11-directory"
    biz = [
        ("Lone Star Plumbing Co.", "(512) 555-0134", "2210 S Lamar Blvd, Austin, TX 78704", "Plumbers"),
        ("Hill Country Electric", "(512) 555-0187", "800 W Cesar Chavez St, Austin, TX 78701", "Electricians"),
        ("Barton Springs Dental", "(512) 555-0112", "1600 Barton Springs Rd Ste 200, Austin, TX 78704", "Dentists"),
        ("Eastside Auto Repair", "(512) 555-0166", "5401 E 7th St, Austin, TX 78702", "Auto Repair"),
        ("Mueller Family Vets", "(512) 555-0199", "1911 Aldrich St, Austin, TX 78723", "Veterinarians"),
        ("Zilker Pest Control", "(512) 555-0141", "3005 S Lamar Blvd, Austin, TX 78704", "Pest Control"),
        ("Capitol City Locksmith", "(512) 555-0173", "1122 Guadalupe St, Austin, TX 78701", "Locksmiths"),
        ("North Loop Bike Shop", "(512) 555-0120", "5300 Airport Blvd, Austin, TX 78751", "Bike Repair"),
    ]
    pages = [biz[:4], biz[4:]]
    recs = []
    for p, chunk in enumerate(pages):
        cards = []
        if p == 0:
            cards.append('''<li class="y-css-1iy1dwt"><div class="y-css-9s5gdz" data-testid="serp-ia-card-ad"><div class="y-css-1b1dpf"><span class="y-css-1oibaro" data-font-weight="semibold">Sponsored Result</span></div><h3 class="y-css-hcgwj4"><a href="/adredir?ad_business_id=xyz&amp;url=/biz/quick-fix-handyman" class="y-css-12ly5yx" data-testid="business-name">Quick Fix Handyman</a></h3><p data-testid="business-phone">(512) 555-0100</p><p class="y-css-dxn6h6">Serving Austin and surrounding areas</p></div></li>''')
        for i, (n, ph, ad, cat) in enumerate(chunk):
            k = p * 4 + i
            slug = n.lower().replace(".", "").replace(" ", "-")
            cards.append(f'''<li class="y-css-1iy1dwt"><div class="y-css-9s5gdz" data-testid="serp-ia-card"><div class="y-css-1u1p5a2"><div class="y-css-12cmc0i"><a href="/biz/{slug}-austin" class="y-css-1kuyfb3"><img class="y-css-xkp5ef" height="146" width="146" loading="lazy" src="https://s3-media0.example.com/bphoto/{k}/348s.jpg" alt="{E(n)}"></a></div>
<div class="y-css-1dbqy0e"><div class="y-css-cxcdjj"><h3 class="y-css-hcgwj4"><span class="y-css-1jz061g">{k+1}.&nbsp;</span><a href="/biz/{slug}-austin" class="y-css-12ly5yx" name="{E(n)}" data-testid="business-name">{E(n)}</a></h3></div>
<div class="y-css-1ld4r9h"><span data-testid="business-category" class="y-css-epdpgs"><a href="/search?cflt={cat.lower().replace(' ', '')}" class="y-css-1d8mpv1"><span class="y-css-1o34y7f">{E(cat)}</span></a></span></div>
<div class="y-css-wbwcpb"><div class="y-css-1m9x9sx" data-testid="business-contact"><p data-testid="business-phone" class="y-css-1oibaro">{ph}</p><address data-testid="business-address" class="y-css-dxn6h6"><span>{E(ad)}</span></address></div>
<p class="y-css-glnmnw"><span class="y-css-1vjlsq6">Open</span> until 6:00 PM</p></div></div></div></div></li>''')
            recs.append({"business_name": n, "phone_number": ph, "address": ad, "category": cat})
        pag = '<div class="pagination__09f24__VRjN4 y-css-1r2g54e" role="navigation" aria-label="Pagination navigation"><span class="y-css-1e5m9e2" aria-current="true">1</span> <a href="page2.html" class="y-css-nqcesn" aria-label="Page: 2">2</a> <a href="page2.html" class="next-link navigation-button__09f24__m9qRz y-css-1lh2ngf" aria-label="Next"><span class="icon--24-chevron-right-v2"></span></a></div>' if p == 0 else '<div class="pagination__09f24__VRjN4 y-css-1r2g54e" role="navigation" aria-label="Pagination navigation"><a href="index.html" class="prev-link y-css-1lh2ngf" aria-label="Previous"><span class="icon--24-chevron-left-v2"></span></a> <a href="index.html" class="y-css-nqcesn" aria-label="Page: 1">1</a> <span class="y-css-1e5m9e2" aria-current="true">2</span></div>'
        doc = f'''<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>THE BEST 10 Home Services in AUSTIN, TX - Updated 2024 - LocalFind</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><script>window.yelp = window.yelp || {{}}; window.yelp.www = {{init: function(){{}}}};</script>{GTAG}</head>
<body><div id="main-content"><div class="y-css-hm23rf" data-testid="header"><a href="/" data-testid="logo">LocalFind</a><form data-testid="search-form"><input aria-label="Find" placeholder="plumbers, electricians, dentists..."><input aria-label="Near" value="Austin, TX"></form><a href="/writeareview" data-testid="nav-write-review">Write a Review</a><a href="/login" data-testid="nav-login">Log In</a></div>
<div class="y-css-1c3jplo" data-testid="filters"><button>Price</button><button>Open Now</button><button>Offers Delivery</button></div>
<h1 class="y-css-1nt1m2y">Best Home &amp; Local Services near Austin, TX</h1>
<ul class="list__09f24__ynIEd">{"".join(cards)}</ul>
{pag}
<aside data-testid="related-searches"><h2>Related Searches in Austin, TX</h2><ul><li><a href="/search?q=emergency+plumber">Emergency Plumber</a></li><li><a href="/search?q=ac+repair">AC Repair</a></li><li><a href="/search?q=24+hour+locksmith">24 Hour Locksmith</a></li></ul></aside>
<footer data-testid="footer"><p>Copyright © 2004–2024 LocalFind Inc. LocalFind, LocalFind logo and related marks are registered trademarks of LocalFind.</p></footer></div></body></html>'''
        write(site, "index.html" if p == 0 else "page2.html", doc)
    case(site, "Please collect the business name, phone number, address and category for every business listed at {base}/index.html, and follow the pagination",
         ["business_name", "phone_number", "address", "category"], recs)

# ---------------------------------------------------------------- 12 restaurants with avatars
def s12():
    site = "12-restaurants"
    rs = [
        ("Trattoria Roma", "Italian", "4.6", "$$", "1,024"),
        ("Sakura Ramen House", "Japanese · Ramen", "4.4", "$", "862"),
        ("El Farolito", "Mexican", "4.5", "$", "3,410"),
        ("Le Petit Bistro", "French", "4.7", "$$$", "498"),
        ("Saffron Table", "Indian", "4.3", "$$", "731"),
        ("Seoul Kitchen", "Korean · BBQ", "4.5", "$$", "1,287"),
        ("The Green Fork", "Vegan", "4.2", "$$", "355"),
    ]
    items = []
    recs = []
    for i, (n, cu, r, pr, cnt) in enumerate(rs):
        initials = "".join(w[0] for w in n.split()[:2])
        items.append(f'''<li class="RestaurantList__item"><div class="rc-card rc-card--horizontal" role="article">
  <div class="rc-avatar rc-avatar--lg"><img class="rc-avatar__img" src="https://cdn.example-eats.com/logos/{i+11}.png" alt="{E(n)} logo" width="56" height="56"><span class="rc-avatar__fallback" aria-hidden="true">{initials}</span></div>
  <div class="rc-card__body"><a class="rc-card__link" href="/r/{n.lower().replace(' ', '-')}"><h3 class="rc-card__name">{E(n)}</h3></a>
    <div class="rc-card__sub"><span class="rc-card__cuisine">{E(cu)}</span><span class="rc-dot" aria-hidden="true"> · </span><span class="rc-card__price" aria-label="Price range {len(pr)} of 4">{pr}</span></div>
    <div class="rc-card__rating"><svg class="rc-icon rc-icon--star" aria-hidden="true" viewBox="0 0 24 24"><path d="M12 2l3 7h7l-5.5 4.5L18.5 21 12 16.5 5.5 21l2-7.5L2 9h7z"/></svg><span class="rc-card__score">{r}</span> <span class="rc-card__count">({cnt} reviews)</span></div>
    <div class="rc-card__eta">{20 + i*5}–{30 + i*5} min · $1.99 delivery</div></div>
  <button class="rc-fav" aria-label="Save {E(n)}"><svg class="rc-icon rc-icon--heart" aria-hidden="true"></svg></button></div></li>''')
        recs.append({"name": n, "cuisine": cu, "rating": r, "price_range": pr})
    doc = f'''<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Restaurants near Mission District, San Francisco · ExampleEats</title><meta name="viewport" content="width=device-width">{GTAG}
<link rel="preload" as="font" href="/fonts/Inter.woff2" crossorigin></head>
<body><div id="app"><header class="TopBar"><a class="TopBar__logo" href="/">ExampleEats</a><button class="TopBar__address">Deliver to: 2590 Mission St</button><nav><a href="/offers">Offers</a><a href="/orders">Orders</a><a href="/account">Account</a></nav></header>
<section class="Carousel Carousel--cuisines"><h2>Cuisines</h2><ul><li><a href="/c/pizza"><img src="/c/pizza.png" alt="">Pizza</a></li><li><a href="/c/sushi"><img src="/c/sushi.png" alt="">Sushi</a></li><li><a href="/c/burgers"><img src="/c/burgers.png" alt="">Burgers</a></li><li><a href="/c/tacos"><img src="/c/tacos.png" alt="">Tacos</a></li></ul></section>
<div class="Banner Banner--promo"><p><strong>$0 delivery fee</strong> on your first order with code <code>HELLO</code></p></div>
<main><h1 class="RestaurantList__title">All restaurants</h1><p class="RestaurantList__count">7 restaurants</p>
<ul class="RestaurantList">{"".join(items)}</ul></main>
<footer class="Footer"><ul><li><a href="/about">About us</a></li><li><a href="/careers">Careers</a></li><li><a href="/partners">Become a partner</a></li></ul><small>© 2024 ExampleEats</small></footer></div>
<script>window.__APOLLO_STATE__={{"ROOT_QUERY":{{}}}};</script></body></html>'''
    write(site, "index.html", doc)
    case(site, "For each restaurant on {base}/index.html I want the name, cuisine, rating and price range",
         ["name", "cuisine", "rating", "price_range"], recs)

# ---------------------------------------------------------------- 13 sidebar + main list
def s13():
    site = "13-blog-sidebar"
    posts = [
        ("Why we moved our monolith back from Kubernetes", "Priya Raman", "May 9, 2024", "2024-05-09"),
        ("A practical guide to Postgres row-level security", "Tom Okafor", "May 2, 2024", "2024-05-02"),
        ("Feature flags without the mess", "Julia Berg", "April 25, 2024", "2024-04-25"),
        ("What 10,000 incident reports taught us about on-call", "Marcus Hale", "April 18, 2024", "2024-04-18"),
        ("Designing idempotent APIs, with examples", "Priya Raman", "April 11, 2024", "2024-04-11"),
        ("How we cut our CI time in half", "Ana Souza", "April 4, 2024", "2024-04-04"),
        ("The case for boring technology, five years later", "Tom Okafor", "March 28, 2024", "2024-03-28"),
    ]
    popular = [("Ten years of Go in production", "Jan 12, 2023"), ("Stop writing microservices", "Aug 3, 2022"),
               ("Our favourite SQL tricks", "Nov 19, 2023"), ("Hiring engineers in 2024", "Feb 6, 2024"), ("Why we write RFCs", "Jun 30, 2021")]
    arts = []
    recs = []
    for i, (t, a, d, iso) in enumerate(posts):
        slug = t.lower().replace(",", "").replace(" ", "-")
        arts.append(f'''<article class="post-card post-card--large" id="post-{310 - i}">
  <a class="post-card__image-link" href="/blog/{slug}/"><img class="post-card__image" srcset="/content/images/size/w300/{slug}.png 300w, /content/images/size/w600/{slug}.png 600w" src="/content/images/size/w600/{slug}.png" alt="{E(t)}" loading="lazy"></a>
  <div class="post-card__content"><a class="post-card__content-link" href="/blog/{slug}/"><header class="post-card__header"><div class="post-card__primary-tag">Engineering</div><h2 class="post-card__title">{E(t)}</h2></header>
  <section class="post-card__excerpt"><p>Notes from our engineering team on what worked, what did not, and what we would do differently next time.</p></section></a>
  <footer class="post-card__meta"><span class="post-card__byline">By <a class="post-card__author" rel="author" href="/author/{a.lower().replace(' ', '-')}/">{E(a)}</a></span><span class="bull">&bull;</span><time class="post-card__date" datetime="{iso}">{d}</time><span class="bull">&bull;</span><span class="post-card__reading-time">{6 + i % 5} min read</span></footer></div>
</article>''')
        recs.append({"title": t, "author": a, "date": d})
    side = "".join(f'''<li class="post-card post-card--mini"><a class="post-card__title" href="/blog/{t.lower().replace(' ', '-')}/">{E(t)}</a><time class="post-card__date">{d}</time></li>''' for t, d in popular)
    doc = f'''<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge"><title>Engineering Blog — Fathom Labs</title>
<meta name="generator" content="Ghost 5.82"><link rel="alternate" type="application/rss+xml" title="Fathom Labs" href="/rss/">
<link rel="stylesheet" type="text/css" href="/assets/built/screen.css?v=a1b2c3d4e5">{GTAG}
<script defer src="https://cdn.jsdelivr.net/ghost/portal@~2.37/umd/portal.min.js" data-ghost="/" crossorigin="anonymous"></script></head>
<body class="home-template"><div class="site-wrapper">
<header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner"><div class="gh-head-brand"><a class="gh-head-logo" href="/">Fathom Labs</a></div>
<nav class="gh-head-menu"><ul class="nav"><li class="nav-home nav-current"><a href="/">Home</a></li><li class="nav-engineering"><a href="/tag/engineering/">Engineering</a></li><li class="nav-product"><a href="/tag/product/">Product</a></li><li class="nav-careers"><a href="/careers/">Careers</a></li></ul></nav>
<div class="gh-head-actions"><a class="gh-head-button" href="#/portal/signup" data-portal="signup">Subscribe</a></div></div></header>
<main id="site-main" class="site-main outer"><div class="inner layout-with-sidebar">
<div class="post-feed"><h1 class="page-title">Latest posts</h1>
{"".join(arts)}
</div>
<aside class="sidebar"><section class="widget widget--popular"><h3 class="widget__title">Popular posts</h3><ul class="widget__list">{side}</ul></section>
<section class="widget widget--newsletter"><h3 class="widget__title">Newsletter</h3><p>One email a month, no spam.</p><form data-members-form="subscribe"><input data-members-email type="email" placeholder="jamie@example.com"><button>Subscribe</button></form></section>
<section class="widget widget--tags"><h3 class="widget__title">Tags</h3><a href="/tag/postgres/">postgres</a> <a href="/tag/go/">go</a> <a href="/tag/devops/">devops</a></section></aside>
</div></main>
<footer class="site-footer outer"><div class="inner"><section class="copyright"><a href="/">Fathom Labs</a> &copy; 2024</section><nav class="site-footer-nav"><a href="/privacy/">Privacy</a><a href="/rss/">RSS</a></nav><div class="gh-powered-by"><a href="https://ghost.org/" target="_blank" rel="noopener">Powered by Ghost</a></div></div></footer></div></body></html>'''
    write(site, "index.html", doc)
    case(site, "Extract the title, author and date of each post in the main feed of {base}/index.html",
         ["title", "author", "date"], recs)

# ---------------------------------------------------------------- 14 header card shares class
def s14():
    site = "14-course-cards"
    cs = [
        ("SQL for Data Analysis", "Maria Lopez", "6h 30m", "$49.99"),
        ("Python Fundamentals", "David Chen", "12h 15m", "$59.99"),
        ("Intro to UX Research", "Hannah Weiss", "4h 45m", "Free"),
        ("Kubernetes in Practice", "Omar Farouk", "9h 10m", "$79.99"),
        ("Excel Dashboards that Work", "Grace Kim", "3h 20m", "$29.99"),
        ("Machine Learning with scikit-learn", "Luis Romero", "14h 05m", "$89.99"),
        ("Public Speaking for Engineers", "Nadia Ivanova", "2h 50m", "$24.99"),
    ]
    cards = ['''<div class="col-12 col-md-6 col-lg-4 mb-4"><div class="card h-100 card--hero text-bg-primary"><div class="card-body"><h3 class="card-title">Explore 120+ courses</h3><p class="card-text">Learn in-demand skills from industry experts, at your own pace.</p><p class="card-text"><small>New courses added every week</small></p><a href="/catalog/all" class="btn btn-light">Browse all</a></div></div></div>''']
    recs = []
    for i, (t, ins, dur, pr) in enumerate(cs):
        level = ["Beginner", "Intermediate", "All levels"][i % 3]
        cards.append(f'''<div class="col-12 col-md-6 col-lg-4 mb-4"><div class="card h-100 shadow-sm"><img src="/img/courses/{i+101}.webp" class="card-img-top" alt="Course thumbnail"><div class="card-body">
<span class="badge bg-secondary-subtle text-secondary-emphasis mb-2">{level}</span><h3 class="card-title h5"><a href="/course/{t.lower().replace(' ', '-')}" class="stretched-link text-reset text-decoration-none">{E(t)}</a></h3>
<p class="card-text text-muted mb-1"><i class="bi bi-person"></i> {E(ins)}</p><p class="card-text small mb-0"><i class="bi bi-clock"></i> <span class="course-duration">{dur}</span> · {8 + i*3} lessons</p></div>
<div class="card-footer bg-transparent d-flex justify-content-between align-items-center"><span class="fw-bold fs-5">{pr}</span><span class="text-warning small">★ {4.1 + (i % 8) / 10:.1f}</span></div></div></div>''')
        recs.append({"course_title": t, "instructor": ins, "duration": dur, "price": pr})
    doc = f'''<!doctype html><html lang="en" data-bs-theme="light"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Course catalog · SkillForge</title>
<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css" rel="stylesheet"><link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap-icons@1.11.3/font/bootstrap-icons.min.css">{GTAG}</head>
<body><nav class="navbar navbar-expand-lg bg-body-tertiary"><div class="container"><a class="navbar-brand" href="/">SkillForge</a><ul class="navbar-nav me-auto"><li class="nav-item"><a class="nav-link active" href="/catalog">Catalog</a></li><li class="nav-item"><a class="nav-link" href="/business">For Business</a></li><li class="nav-item"><a class="nav-link" href="/pricing">Pricing</a></li></ul><a class="btn btn-outline-primary" href="/login">Log in</a></div></nav>
<div class="alert alert-warning rounded-0 mb-0 text-center" role="alert">Spring sale: 40% off all paid courses until May 31.</div>
<main class="container py-5"><h1 class="display-6 mb-4">Popular courses</h1>
<div class="row">{"".join(cards)}</div></main>
<footer class="py-4 border-top"><div class="container d-flex justify-content-between"><span class="text-body-secondary">© 2024 SkillForge, Inc</span><ul class="nav"><li class="nav-item"><a href="/terms" class="nav-link px-2 text-body-secondary">Terms</a></li><li class="nav-item"><a href="/privacy" class="nav-link px-2 text-body-secondary">Privacy</a></li></ul></div></footer>
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"></script></body></html>'''
    write(site, "index.html", doc)
    case(site, "Scrape the course title, instructor, duration and price for all courses at {base}/index.html",
         ["course_title", "instructor", "duration", "price"], recs)

# ---------------------------------------------------------------- 15 reviews
def s15():
    site = "15-reviews"
    rv = [
        ("Jennifer Walsh", "JW", 5, "Fast delivery and great support", "May 10, 2024", "2024-05-10T14:03:11.000Z"),
        ("Tom B.", "TB", 4, "Good value, app could be better", "May 8, 2024", "2024-05-08T09:41:52.000Z"),
        ("Aisha Khan", "AK", 1, "Order never arrived", "May 7, 2024", "2024-05-07T18:22:07.000Z"),
        ("Lukas Schmidt", "LS", 5, "Best prices I found anywhere", "May 5, 2024", "2024-05-05T11:10:45.000Z"),
        ("Rosa Martinez", "RM", 3, "Okay, but returns are slow", "May 2, 2024", "2024-05-02T16:55:30.000Z"),
        ("Dev Patel", "DP", 2, "Wrong size sent twice", "Apr 29, 2024", "2024-04-29T08:05:13.000Z"),
    ]
    cards = []
    recs = []
    for i, (n, ini, s, title, d, iso) in enumerate(rv):
        reply = '''<div class="styles_replyContainer"><div class="styles_replyHeader"><p class="typography_body-m">Reply from <strong>ShopNow</strong></p><time datetime="2024-05-08T10:00:00.000Z">May 8, 2024</time></div><p class="styles_message">Hi Aisha, we are sorry to hear this. Please contact us with your order number so we can help.</p></div>''' if s == 1 else ''
        stars = "".join('<svg class="star" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 .2l2.4 4.9 5.4.8-3.9 3.8.9 5.4L8 12.6 3.2 15.1l.9-5.4L.2 5.9l5.4-.8z"/></svg>' for _ in range(5))
        cards.append(f'''<div class="styles_cardWrapper__LcCPA styles_show__HUXRb"><article class="paper_paper__1PY90 paper_outline__lwsUX card_card__lQWDv styles_reviewCard__hcAvl" data-service-review-card-paper="true">
<div class="styles_reviewCardInner__EwDq2"><aside class="styles_consumerInfoWrapper__KP3Ra" aria-label="Info for {E(n)}"><div class="styles_consumerDetailsWrapper__p2wdr"><div class="avatar_avatar__gYfEt"><span class="typography_heading-xxs__QKBS8 avatar_avatarName__Vyx1z">{ini}</span></div>
<a href="/users/{6600 + i*7}" name="consumer-profile" class="link_internal__7XN06 styles_consumerDetails__ZFieb" data-consumer-profile-link="true"><span class="typography_heading-xxs__QKBS8 typography_appearance-default__AAY17" data-consumer-name-typography="true">{E(n)}</span>
<div class="styles_consumerExtraDetails__fxS4S" data-consumer-reviews-count="{1 + i}"><span class="typography_body-m__xgxZ_ typography_appearance-subtle__8_H2l" data-consumer-reviews-count-typography="true">{1 + i} review{"s" if i else ""}</span><div class="typography_body-m__xgxZ_ styles_detailsIcon__Fo_ua"><span data-consumer-country-typography="true">US</span></div></div></a></div></aside>
<section class="styles_reviewContentwrapper__zH_9M"><div class="styles_reviewHeader__iU9Px" data-service-review-rating="{s}"><div class="star-rating_starRating__4rrcf star-rating_medium__iN6Ty star-{s}" role="img" aria-label="{s} out of 5 stars">{stars}</div>
<div class="typography_body-m__xgxZ_ styles_datesWrapper__RCEKH"><time datetime="{iso}" class="" data-service-review-date-time-ago="true">{d}</time></div></div>
<div class="styles_reviewContent__0Q2Tg" aria-hidden="false" data-review-content="true"><a href="/reviews/66{i}1a2b3c" class="link_internal__7XN06 link_wrapper__5ZJEx" data-review-title-typography="true"><h2 class="typography_heading-s__f7029 typography_appearance-default__AAY17" data-service-review-title-typography="true">{E(title)}</h2></a>
<p class="typography_body-l__KUYFJ typography_appearance-default__AAY17 typography_color-black__5LYEn" data-service-review-text-typography="true">I ordered twice this spring. Here is how it went, in short.</p>
<p class="typography_body-m__xgxZ_ typography_appearance-default__AAY17" data-service-review-date-of-experience-typography="true"><b class="typography_body-m__xgxZ_ typography_appearance-default__AAY17 typography_weight-heavy__E1LTj">Date of experience:</b> {d.replace(", 2024", ", 2024")}</p></div></section>
{reply}
<div class="styles_reviewActions"><button class="link_internal__7XN06 button_button__T34Lr" data-review-useful-button="true"><span class="styles_usefulText">Useful</span></button><button data-review-share-button="true">Share</button></div></div></article></div>''')
        recs.append({"reviewer_name": n, "star_rating": f"{s} out of 5 stars", "date": d, "review_title": title})
    doc = f'''<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>ShopNow Reviews | Read Customer Service Reviews of shopnow.example.com</title><meta name="viewport" content="width=device-width, initial-scale=1">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"LocalBusiness","name":"ShopNow","aggregateRating":{{"@type":"AggregateRating","ratingValue":"3.4","reviewCount":"2187"}}}}</script>{GTAG}</head>
<body><div id="__next"><header class="styles_header__ipe6y"><a href="/" aria-label="Home">ReviewPilot</a><nav><a href="/categories">Categories</a><a href="/blog">Blog</a><a href="/login">Log in</a><a href="/business">For businesses</a></nav></header>
{COOKIE}
<main class="styles_main__Y8sd_"><section class="styles_businessInformation__bp5eU"><h1 class="typography_default__hIMlQ"><span class="title_displayName__TtDDM">ShopNow</span></h1><p>Reviews 2,187 · <span>Average</span></p>
<div class="star-rating_starRating__4rrcf star-rating_large__Yw2Qg star-3" role="img" aria-label="TrustScore 3.4 out of 5"></div>
<div class="styles_rating__summary"><ul><li>5-star <span>48%</span></li><li>4-star <span>14%</span></li><li>3-star <span>6%</span></li><li>2-star <span>5%</span></li><li>1-star <span>27%</span></li></ul></div></section>
<section class="styles_reviewListContainer__2bg_p" aria-label="Reviews">{"".join(cards)}</section>
<section class="styles_relatedBusinesses"><h2>People also looked at</h2><ul><li><a href="/review/buyfast.example.com">BuyFast</a> <span class="star-4" aria-label="4 out of 5 stars"></span></li><li><a href="/review/megamart.example.com">MegaMart</a> <span class="star-2" aria-label="2 out of 5 stars"></span></li></ul></section></main>
<footer><p>© 2024 ReviewPilot A/S. All rights reserved.</p><a href="/legal">Legal</a> <a href="/privacy">Privacy policy</a></footer></div></body></html>'''
    write(site, "index.html", doc)
    case(site, "Could you pull the reviewer name, star rating, date and review title from {base}/index.html",
         ["reviewer_name", "star_rating", "date", "review_title"], recs)

# ---------------------------------------------------------------- 16 stock quotes table
def s16():
    site = "16-stock-quotes"
    qs = [
        ("AAPL", "Apple Inc.", "189.84", "+2.47", "+1.32%", "51.2M"),
        ("MSFT", "Microsoft Corporation", "414.74", "-1.68", "-0.40%", "17.9M"),
        ("NVDA", "NVIDIA Corporation", "898.78", "+11.32", "+1.28%", "41.6M"),
        ("AMZN", "Amazon.com, Inc.", "186.13", "-0.91", "-0.49%", "35.4M"),
        ("GOOGL", "Alphabet Inc.", "170.29", "+0.88", "+0.52%", "22.1M"),
        ("META", "Meta Platforms, Inc.", "475.73", "+3.12", "+0.66%", "11.8M"),
        ("TSLA", "Tesla, Inc.", "171.89", "-5.66", "-3.19%", "98.3M"),
        ("BRK-B", "Berkshire Hathaway Inc.", "410.65", "+0.11", "+0.03%", "3.0M"),
    ]
    rows = []
    recs = []
    for sym, name, price, ch, pct, vol in qs:
        cls = "positive" if ch.startswith("+") else "negative"
        rows.append(f'''<tr class="row false yf-1570k0a" data-testid="data-table-v2-row"><td class="cell sticky yf-1570k0a" style=""><span class="ticker-wrapper yf-1570k0a"><a data-testid="table-cell-ticker" href="/quote/{sym}/" title="{E(name)}" class="loud-link fin-size-medium ticker yf-1570k0a"><div class="name yf-1570k0a"><span class="symbol yf-1570k0a">{sym}</span></div></a></span></td>
<td class="cell yf-1570k0a" style=""><div class="tw-pl-4 yf-h8l7j7 lpin shpin" title="{E(name)}">{E(name)}</div></td>
<td class="cell yf-1570k0a" style=""><span class="yf-ozhuzr"><fin-streamer data-test="change" class="yf-ozhuzr" data-symbol="{sym}" data-value="{price}" active="" data-field="regularMarketPrice" data-trend="none" data-pricehint="2" data-dfield="">{price}</fin-streamer></span></td>
<td class="cell yf-1570k0a" style=""><span class="yf-ozhuzr"><fin-streamer data-test="colorChange" class="yf-ozhuzr" data-symbol="{sym}" data-field="regularMarketChange" data-trend="txt" data-pricehint="2" data-value="{ch}" active=""><span class="e3b14781 {"f4be8683" if cls == "positive" else "d2d4c5c5"} yf-ozhuzr {cls}">{ch}</span></fin-streamer></span></td>
<td class="cell yf-1570k0a" style=""><span class="yf-ozhuzr"><fin-streamer data-test="colorChange" class="yf-ozhuzr" data-symbol="{sym}" data-field="regularMarketChangePercent" data-trend="txt" data-pricehint="2" data-template="({{fmt}})" data-value="{pct[:-1]}" active=""><span class="e3b14781 yf-ozhuzr {cls}">{pct}</span></fin-streamer></span></td>
<td class="cell yf-1570k0a" style=""><span class="yf-ozhuzr"><fin-streamer data-test="change" class="yf-ozhuzr" data-symbol="{sym}" data-field="regularMarketVolume" data-value="{vol}" active="">{vol}</fin-streamer></span></td>
<td class="cell yf-1570k0a" style=""><div class="tw-w-full yf-h8l7j7"><canvas width="75" height="30" aria-label="Intraday chart"></canvas></div></td></tr>''')
        recs.append({"symbol": sym, "name": name, "price": price, "change": ch, "percent_change": pct, "volume": vol})
    strip = "".join(f'''<li class="box-item yf-1mrr8pv"><a href="/quote/%5E{k}/" class="marketsummary-item"><h3 class="tw-text-sm">{lbl}</h3><fin-streamer data-field="regularMarketPrice" data-symbol="^{k}" data-value="{v}">{v}</fin-streamer> <fin-streamer data-field="regularMarketChangePercent" data-symbol="^{k}"><span class="{c}">{p}</span></fin-streamer></a></li>'''
                    for k, lbl, v, p, c in [("GSPC", "S&amp;P 500", "5,222.68", "+0.16%", "positive"), ("DJI", "Dow 30", "39,512.84", "+0.32%", "positive"), ("IXIC", "Nasdaq", "16,340.87", "-0.03%", "negative"), ("RUT", "Russell 2000", "2,059.78", "-0.51%", "negative")])
    doc = f'''<!DOCTYPE html><html lang="en-US" class="layoutEnhancement" data-color-theme="light"><head><meta charset="utf-8"><title>Most Active Stocks Today - Example Finance</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="https://s.example-img.com/aaq/fin/finance.css">{GTAG}
<script type="module" src="https://s.example-img.com/aaq/fin/fin-streamer.js"></script></head>
<body><div id="ybar"><a href="/" class="logo">Example Finance</a><form action="/lookup"><input name="s" placeholder="Search for news, symbols or companies"></form><a href="/login">Sign in</a></div>
<nav id="finance-nav"><ul><li><a href="/my-portfolio">My Portfolio</a></li><li><a href="/news">News</a></li><li><a href="/markets">Markets</a></li><li><a href="/research">Research</a></li><li><a href="/personal-finance">Personal Finance</a></li></ul></nav>
<section class="marketsummary"><ul class="carousel-top">{strip}</ul></section>
<main class="layoutContainer"><div class="ad-container" id="defaultLREC-sizer"><div class="sdaLite" data-ad-slot="LREC">Advertisement</div></div>
<section class="main yf-5wprow"><h1 class="yf-xxbei9">Most Active Stocks</h1><p class="yf-1t7pkun">Stocks ordered in descending order by intraday trade volume.</p>
<div class="tableContainer yf-1570k0a"><div class="table-container yf-1570k0a"><table class="yf-1570k0a bd"><thead><tr class="yf-1570k0a"><th class="yf-1570k0a sticky" data-testid-header="ticker">Symbol</th><th class="yf-1570k0a" data-testid-header="companyshortname.raw">Name</th><th class="yf-1570k0a" data-testid-header="intradayprice">Price</th><th class="yf-1570k0a" data-testid-header="intradaypricechange">Change</th><th class="yf-1570k0a" data-testid-header="percentchange">Change %</th><th class="yf-1570k0a" data-testid-header="dayvolume">Volume</th><th class="yf-1570k0a">52 Wk Range</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div></div></section></main>
<footer id="footer"><p>Copyright © 2024 Example Finance. All rights reserved. Quotes delayed by 15 minutes.</p><ul><li><a href="/terms">Terms and Privacy Policy</a></li><li><a href="/privacy-dashboard">Privacy Dashboard</a></li></ul></footer></body></html>'''
    write(site, "index.html", doc)
    case(site, "Pull the symbol, name, price, change, percent change and volume for each stock in the table at {base}/index.html",
         ["symbol", "name", "price", "change", "percent_change", "volume"], recs)

# ---------------------------------------------------------------- 17 French shop (2 pages)
def s17():
    site = "17-boutique-fr"
    ps = [
        ("Cafetière à piston 1 L inox", "Bodum", "34,90\u00a0€"),
        ("Bouilloire électrique 1,7 L", "Moulinex", "49,99\u00a0€"),
        ("Moulin à café manuel en céramique", "Hario", "42,50\u00a0€"),
        ("Théière en fonte 0,8 L", "Cosy & Trendy", "29,95\u00a0€"),
        ("Machine expresso automatique", "De'Longhi", "399,00\u00a0€"),
        ("Lot de 6 tasses à espresso", "Bormioli", "18,90\u00a0€"),
        ("Balance de précision pour café", "Timemore", "59,00\u00a0€"),
        ("Filtres papier n°4 (x100)", "Melitta", "3,49\u00a0€"),
    ]
    pages = [ps[:4], ps[4:]]
    recs = []
    for p, chunk in enumerate(pages):
        items = []
        for i, (n, b, pr) in enumerate(chunk):
            k = p * 4 + i
            euros, cents = pr.replace("\u00a0€", "").split(",")
            old = f'<span class="prdtPrSt">{int(euros) + 10},{cents}\u00a0€</span>' if k % 3 == 0 else ''
            items.append(f'''<li class="c-product-card" data-sku="FR{90120 + k}"><div class="c-product-card__visuel"><a href="/p/{k}"><img src="/img/{k}.jpg" alt="{E(n)}"></a><span class="c-badge c-badge--promo">{"-20%" if k % 3 == 0 else ""}</span></div>
<div class="c-product-card__infos"><div class="c-product-card__brand">{E(b)}</div><h2 class="c-product-card__title"><a href="/p/{k}">{E(n)}</a></h2>
<div class="c-product-card__rating"><span class="c-stars" title="Note : 4,{k} sur 5"></span><span class="c-product-card__reviews">({12 + k * 9} avis)</span></div>
<div class="c-product-card__price"><span class="c-price">{pr}</span>{old}</div><p class="c-product-card__delivery">Livraison gratuite dès 25 € d'achat</p><button class="c-btn c-btn--primary">Ajouter au panier</button></div></li>''')
            recs.append({"nom": n, "prix": pr, "marque": b})
        nav = '<nav class="c-pagination" aria-label="Pagination"><span class="c-pagination__current">1</span><a href="page-2.html">2</a><a class="c-pagination__next" href="page-2.html">Page suivante ›</a></nav>' if p == 0 else '<nav class="c-pagination" aria-label="Pagination"><a class="c-pagination__prev" href="index.html">‹ Page précédente</a><a href="index.html">1</a><span class="c-pagination__current">2</span></nav>'
        doc = f'''<!DOCTYPE html><html lang="fr-FR"><head><meta charset="utf-8"><title>Café &amp; Thé : cafetières, bouilloires, moulins | LaMaisonDuCafé</title>
<meta name="description" content="Tout pour le café et le thé : livraison gratuite dès 25 €.">{GTAG}</head>
<body><div class="bandeau-cookies" role="dialog" aria-label="Cookies"><p>Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience. <a href="/cookies">En savoir plus</a></p><button>Tout refuser</button><button>Tout accepter</button></div>
<header class="c-header"><a class="c-header__logo" href="/">LaMaisonDuCafé</a><form class="c-search"><input placeholder="Que recherchez-vous ?"></form><nav><a href="/compte">Mon compte</a><a href="/panier">Panier (0)</a></nav>
<ul class="c-menu"><li><a href="/cafe">Café</a></li><li><a href="/the">Thé</a></li><li><a href="/accessoires">Accessoires</a></li><li><a href="/promos">Promos</a></li></ul></header>
<main><nav class="c-fil-ariane"><a href="/">Accueil</a> › <span>Café &amp; Thé</span></nav><h1>Café &amp; Thé <small>(8 produits)</small></h1>
<div class="c-tri">Trier par : <select><option>Pertinence</option><option>Prix croissant</option></select></div>
<ul class="c-product-list">{"".join(items)}</ul>{nav}</main>
<footer class="c-footer"><ul><li><a href="/cgv">CGV</a></li><li><a href="/mentions-legales">Mentions légales</a></li><li><a href="/contact">Contact</a></li></ul><p>© 2024 LaMaisonDuCafé SAS</p></footer></body></html>'''
        write(site, "index.html" if p == 0 else "page-2.html", doc)
    case(site, "Bonjour, je voudrais récupérer le nom, le prix et la marque de chaque produit sur {base}/index.html (les deux pages)",
         ["nom", "prix", "marque"], recs)

# ---------------------------------------------------------------- 18 Spanish shop
def s18():
    site = "18-tienda-es"
    ps = [
        ("Zapatillas de running Pegasus 41", "124,99 €", "Deportes Sur"),
        ("Mochila de senderismo 30 L impermeable", "49,95 €", "Montaña Viva"),
        ("Botella térmica de acero 750 ml", "19,90 €", "Deportes Sur"),
        ("Esterilla de yoga antideslizante 6 mm", "27,50 €", "ZenFit"),
        ("Reloj GPS Forerunner 165", "279,00 €", "ElectroRun"),
        ("Chaqueta cortavientos ultraligera", "64,99 €", "Montaña Viva"),
    ]
    items = []
    recs = []
    for i, (n, pr, v) in enumerate(ps):
        items.append(f'''<article class="product-tile" data-id="ES{4410 + i}"><figure class="product-tile__image"><a href="/producto/{i}"><img src="/img/es/{i}.jpg" alt="{E(n)}"></a>{"<span class='etiqueta etiqueta--oferta'>Oferta</span>" if i % 2 == 0 else ""}</figure>
<div class="product-tile__body"><h3 class="product-tile__name"><a href="/producto/{i}">{E(n)}</a></h3>
<div class="product-tile__price"><span class="precio-actual">{pr}</span> <span class="iva">IVA incluido</span></div>
<p class="product-tile__seller">Vendido por <a href="/vendedor/{i}" class="seller-link">{E(v)}</a></p>
<p class="product-tile__shipping">Envío gratis en 24/48 h</p></div></article>''')
        recs.append({"nombre": n, "precio": pr, "vendedor": v})
    doc = f'''<!DOCTYPE html><html lang="es-ES"><head><meta charset="utf-8"><title>Deporte y aire libre | TiendaPlus</title>{GTAG}</head>
<body><div id="cookies-aviso" class="aviso-cookies"><p>Utilizamos cookies propias y de terceros para mejorar nuestros servicios. <a href="/politica-cookies">Más información</a></p><button>Rechazar</button><button>Aceptar todas</button></div>
<header class="cabecera"><a class="logo" href="/">TiendaPlus</a><form class="buscador"><input placeholder="¿Qué estás buscando?"></form><nav class="menu-usuario"><a href="/mi-cuenta">Mi cuenta</a><a href="/cesta">Cesta</a></nav>
<ul class="menu-categorias"><li><a href="/electronica">Electrónica</a></li><li><a href="/hogar">Hogar</a></li><li><a href="/deporte">Deporte</a></li><li><a href="/moda">Moda</a></li></ul></header>
<main class="listado"><nav class="migas"><a href="/">Inicio</a> / <span>Deporte y aire libre</span></nav><h1>Deporte y aire libre</h1><p class="listado__total">6 productos</p>
<aside class="filtros"><h2>Filtrar por</h2><h3>Precio</h3><ul><li><label><input type="checkbox"> Menos de 25 €</label></li><li><label><input type="checkbox"> 25 € - 100 €</label></li></ul><h3>Vendedor</h3><ul><li><label><input type="checkbox"> Deportes Sur</label></li><li><label><input type="checkbox"> Montaña Viva</label></li></ul></aside>
<section class="listado__productos">{"".join(items)}</section>
<div class="banner-publi"><a href="/black-friday"><img src="/publi/bf.jpg" alt="Publicidad: hasta -50% en tecnología"></a></div></main>
<footer class="pie"><ul><li><a href="/aviso-legal">Aviso legal</a></li><li><a href="/privacidad">Privacidad</a></li><li><a href="/contacto">Contacto</a></li></ul><p>© 2024 TiendaPlus S.L.</p></footer></body></html>'''
    write(site, "index.html", doc)
    case(site, "¿Podrías sacarme el nombre, el precio y el vendedor de todos los productos de {base}/index.html?",
         ["nombre", "precio", "vendedor"], recs)

# ---------------------------------------------------------------- 19 changelog (headings + paragraphs)
def s19():
    site = "19-changelog"
    rel = [
        ("2.4.0", "April 12, 2024", "2024-04-12", "Adds streaming uploads and a new retry policy; drops support for Node 16."),
        ("2.3.2", "March 28, 2024", "2024-03-28", "Fixes a memory leak when a request is aborted during redirect handling."),
        ("2.3.1", "March 3, 2024", "2024-03-03", "Security release: the proxy URL is no longer logged at debug level."),
        ("2.3.0", "February 14, 2024", "2024-02-14", "Introduces request hooks and typed error classes."),
        ("2.2.0", "January 9, 2024", "2024-01-09", "First release with native fetch fallback on supported runtimes."),
    ]
    body = []
    recs = []
    for v, d, iso, summ in rel:
        body.append(f'''<h2 id="v{v.replace('.', '')}"><a class="anchor" aria-hidden="true" href="#v{v.replace('.', '')}">#</a>{v}</h2>
<p><time datetime="{iso}">{d}</time></p>
<p>{E(summ)}</p>
<h3>Changes</h3>
<ul><li>Internal refactoring of the transport layer (<a href="https://github.com/example/fetchy/pull/{int(v.replace('.', ''))*3}">#{int(v.replace('.', ''))*3}</a>)</li><li>Documentation updates</li></ul>''')
        recs.append({"version": v, "release_date": d, "summary": summ})
    doc = f'''<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Changelog | fetchy</title><meta name="generator" content="Docusaurus v3.2.1">
<link rel="stylesheet" href="/assets/css/styles.8d1a2b3c.css"><script src="/assets/js/runtime~main.4f5e6d7c.js" defer></script>{GTAG}</head>
<body class="navigation-with-keyboard"><div id="__docusaurus"><nav aria-label="Main" class="navbar navbar--fixed-top"><div class="navbar__inner"><div class="navbar__items"><a class="navbar__brand" href="/"><b class="navbar__title text--truncate">fetchy</b></a><a class="navbar__item navbar__link" href="/docs/intro">Docs</a><a class="navbar__item navbar__link" href="/api">API</a><a aria-current="page" class="navbar__item navbar__link navbar__link--active" href="/changelog">Changelog</a></div><div class="navbar__items navbar__items--right"><a href="https://github.com/example/fetchy" target="_blank" rel="noopener noreferrer" class="navbar__item navbar__link">GitHub</a></div></div></nav>
<div class="main-wrapper"><div class="container margin-vert--lg"><div class="row"><main class="col col--9"><article><div class="markdown">
<h1>Changelog</h1>
<p>All notable changes to this project are documented here. The format is based on Keep a Changelog, and this project adheres to Semantic Versioning.</p>
<div class="theme-admonition theme-admonition-tip alert alert--success"><div class="admonitionHeading">tip</div><div class="admonitionContent"><p>Subscribe to releases on GitHub to get notified.</p></div></div>
{"".join(body)}
</div></article></main>
<div class="col col--3"><div class="tableOfContents thin-scrollbar"><ul class="table-of-contents table-of-contents__left-border">{"".join(f'<li><a href="#v{v.replace(".", "")}" class="table-of-contents__link toc-highlight">{v}</a></li>' for v, *_ in rel)}</ul></div></div></div></div></div>
<footer class="footer footer--dark"><div class="container container-fluid"><div class="footer__copyright">Copyright © 2024 fetchy contributors. Built with Docusaurus.</div></div></footer></div></body></html>'''
    write(site, "index.html", doc)
    case(site, "extract version, release date and summary for every release in the changelog at {base}/index.html",
         ["version", "release_date", "summary"], recs)

if __name__ == "__main__":
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    for fn in [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19]:
        fn()
    print("sites:", sorted(os.listdir(ROOT)))
