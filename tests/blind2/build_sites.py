#!/usr/bin/env python3
"""Generates sites/<NN-kind>/*.html and case.json for the second blind set (stdlib only).
Every site's data lives in this file; expected records are derived from the same data.
A record value may be a list: the first item is the canonical (visible) value, the others
are also accepted by score.py (e.g. an ISO date from datetime/JSON-LD)."""
import html, json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sites")
E = html.escape
SITES = []

def site(fn):
    SITES.append(fn)
    return fn

def doc(title, body, head="", lang="en", body_attrs=""):
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{E(title)}</title>\n{head}\n</head>\n<body{body_attrs}>\n{body}\n</body>\n</html>\n")

def jsonld(obj):
    return '<script type="application/ld+json">' + json.dumps(obj, ensure_ascii=False) + "</script>"

def chunks(xs, n):
    return [xs[i:i + n] for i in range(0, len(xs), n)]

def write(name, pages, case):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for fn, text in pages.items():
        with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(case, f, indent=1, ensure_ascii=False)

# ------------------------------------------------------------------ 01 hotel search (Booking-like)
@site
def hotels():
    H = [  # name, area, stars, score, word, reviews, old price, price, room, slug
        ("The Standard, High Line", "Meatpacking District, New York", 4, "8.4", "Very Good", "3,412 reviews", "US$389", "US$312", "Standard King Room", "the-standard-high-line"),
        ("citizenM New York Times Square", "Midtown, New York", 4, "9.0", "Wonderful", "8,907 reviews", "", "US$249", "Queen Room", "citizenm-times-square"),
        ("Pod 51", "Midtown East, New York", 3, "7.6", "Good", "5,221 reviews", "", "US$139", "Queen Pod", "pod-51"),
        ("Arlo SoHo", "SoHo, New York", 4, "8.5", "Very Good", "4,018 reviews", "US$301", "US$255", "Arlo Queen", "arlo-soho"),
        ("The Marlton Hotel", "Greenwich Village, New York", 4, "8.9", "Fabulous", "1,102 reviews", "", "US$344", "Classic Queen Room", "the-marlton"),
        ("Hotel Hendricks", "Midtown, New York", 4, "", "", "", "", "US$219", "Deluxe King", "hendricks"),
        ("The Jane Hotel", "West Village, New York", 2, "7.1", "Good", "2,687 reviews", "", "US$119", "Standard Cabin, Shared Bathroom", "the-jane"),
        ("Moxy NYC Chelsea", "Chelsea, New York", 3, "8.2", "Very Good", "6,540 reviews", "US$270", "US$229", "Queen Room", "moxy-chelsea"),
        ("The Ludlow Hotel", "Lower East Side, New York", 5, "9.1", "Superb", "912 reviews", "", "US$495", "Indie Queen", "ludlow"),
        ("YOTEL New York Times Square", "Hell's Kitchen, New York", 3, "7.9", "Good", "12,044 reviews", "", "US$178", "Premium Queen Cabin", "yotel-nyc"),
        ("Hotel Henri", "Midtown, New York", 3, "8.0", "Very Good", "1,976 reviews", "US$199", "US$164", "Double Room", "henri"),
        ("1 Hotel Brooklyn Bridge", "Brooklyn, New York", 5, "9.2", "Superb", "2,311 reviews", "", "US$612", "City View King", "1-hotel-brooklyn-bridge"),
    ]
    def card(h):
        name, area, stars, score, word, rev, old, price, room, slug = h
        review = ""
        if score:
            review = (f'<div data-testid="review-score" class="a3b8729ab1 d86cee9b25"><div class="f13857cc8c">'
                      f'<div class="bui-u-sr-only">Scored {score} </div><div class="ac4a7896c7" aria-hidden="true">{score}</div></div>'
                      f'<div class="a3b8729ab1 e6208ee469"><div class="a3b8729ab1 e6208ee469 cb2cbb3ccb" aria-hidden="true">{word}</div>'
                      f'<div class="abf093bdfe f45d8e4c32 d935416c47">{rev}</div></div></div>')
        else:
            review = '<span class="b30f8eb2d6 bui-badge bui-badge--outline">New to Booking.com</span>'
        oldp = f'<span class="abf093bdfe c73ff05531 e84eb96b1f" aria-hidden="true">{old}</span><span class="bui-u-sr-only">Original price {old}. </span>' if old else ""
        starsh = "".join('<span aria-hidden="true" class="fcd9eec8fb d31eda6efc c25361c37f"><svg viewBox="0 0 24 24" width="10px"><path d="M23.555 8.729"></path></svg></span>' for _ in range(stars))
        return f'''<div data-testid="property-card" class="c066246e13 d8aec464ca" role="listitem" aria-label="">
  <div class="c066246e13"><div class="a5922b8ca1"><a data-testid="property-card-desktop-single-image" href="/hotel/us/{slug}.html?aid=304142&amp;ucfs=1" tabindex="-1" aria-hidden="true"><img class="f9671d49b1" src="/img/{slug}.jpg" alt="{E(name)}" width="200" height="200" loading="lazy"></a>
  <button aria-label="Save the property" type="button" class="a83ed08757 c21c56c305 f38b6daa18 d691166b09 ab98298258"><span class="e4adce92df"></span></button></div>
  <div class="c1edfbabcb"><div class="c624d7469d a0e60936ad"><div class="aa4e6c1f6b">
    <div class="a1cf0d3fb5"><h3 class="aab71f8e4e"><a data-testid="title-link" href="/hotel/us/{slug}.html?aid=304142&amp;ucfs=1" class="a78ca197d0" target="_blank"><div data-testid="title" class="f6431b446c a15b38c233">{E(name)}</div><span class="bui-u-sr-only">Opens in new window</span></a></h3>
    <div class="ebc566407a"><div data-testid="rating-stars" class="b3f3c831be" aria-label="{stars} out of 5" role="img">{starsh}</div></div></div>
    <div class="abf093bdfe ecc6a9ed89"><a href="/hotel/us/{slug}.html#map_opened" class="a83ed08757 f88a5204c2 b98133fb50"><span class="aee5343fdb def9bc142a" data-testid="address">{E(area)}</span><span class="f419a93f12"><span class="a3332d346a">Show on map</span></span></a></div>
  </div>{review}</div>
  <div class="c624d7469d a0e60936ad a3214e5942"><div class="abf093bdfe"><h4 class="abf093bdfe e8f7c070a7">{E(room)}</h4><div class="abf093bdfe">1 king bed</div></div>
  <div class="e9f7361569"><div data-testid="availability-rate-information"><div class="abf093bdfe f45d8e4c32" data-testid="price-for-x-nights">1 night, 2 adults</div>
  <div class="ac4a7896c7">{oldp}<span class="f6431b446c fbfd7c1165 e84eb96b1f" data-testid="price-and-discounted-price" aria-hidden="true">{price}</span><span class="bui-u-sr-only">Current price {price}</span></div>
  <div class="abf093bdfe f45d8e4c32" data-testid="taxes-and-charges">+US$58 taxes and charges</div></div>
  <a class="a83ed08757 c21c56c305 bf0537ecb5 d691166b09 ab98298258 c082d89982" href="/hotel/us/{slug}.html#availability" target="_blank"><span class="e4adce92df">See availability</span></a></div></div></div>
  </div>
</div>'''
    pages, recs = {}, []
    parts = chunks(H, 6)
    names = ["index.html", "page-2.html"]
    for p, hs in enumerate(parts):
        cards = [card(h) for h in hs]
        cards.insert(3, '''<div class="c066246e13 genius-banner" role="listitem"><div class="c1edfbabcb"><div class="a5922b8ca1"><div data-testid="title" class="f6431b446c">Sign in, save money</div><div class="abf093bdfe">To see if you can save 10% or more at participating properties, just sign in to your Booking.com account</div><a href="/signin.html" class="a83ed08757">Sign in</a></div></div></div>''')
        prev = f'<a aria-label="Previous page" href="{names[p-1]}" class="a83ed08757">‹</a>' if p else '<button aria-label="Previous page" disabled class="a83ed08757">‹</button>'
        nxt = f'<a aria-label="Next page" href="{names[p+1]}" class="a83ed08757">›</a>' if p + 1 < len(parts) else '<button aria-label="Next page" disabled class="a83ed08757">›</button>'
        nums = "".join(f'<li class="ef2dbaeb17"><button class="a83ed08757 bui-pill--selected" aria-current="page">{i+1}</button></li>' if i == p else f'<li class="ef2dbaeb17"><a class="a83ed08757" href="{names[i]}" aria-label=" {i+1}">{i+1}</a></li>' for i in range(len(parts)))
        body = f'''<header class="bui-header"><a href="/" class="bui-header__logo" aria-label="Booking.com">Booking.com</a><nav><a href="/currency">USD</a> <a href="/register">Register</a> <a href="/signin">Sign in</a></nav></header>
<div class="bui-banner" role="region" aria-label="Cookie banner"><p>We use cookies to improve your experience.</p><button>Accept</button><button>Decline</button></div>
<div class="af5895d4b2"><aside class="a5f34e4cfe" data-testid="filters-sidebar"><h3>Filter by:</h3><div data-filters-group="class"><div class="abf093bdfe">Property rating</div><label><input type="checkbox"> 3 stars <span>(212)</span></label><label><input type="checkbox"> 4 stars <span>(318)</span></label><label><input type="checkbox"> 5 stars <span>(57)</span></label></div>
<div data-filters-group="review_score"><div class="abf093bdfe">Review score</div><label><input type="checkbox"> Wonderful: 9+ <span>(41)</span></label><label><input type="checkbox"> Very Good: 8+ <span>(205)</span></label></div></aside>
<main class="d4924c9e74"><h1 class="f6431b446c d5f78961c3" aria-live="assertive">New York: 612 properties found</h1>
<div class="b2fe1a41c3"><button data-testid="sorters-dropdown-trigger">Sort by: Our top picks</button></div>
<div class="d4924c9e74" role="list">
{chr(10).join(cards)}
</div>
<nav aria-label="pagination" class="a3fa4e7e8d"><div class="b16a89683f">{prev}<ol class="ef2dbaeb17">{nums}</ol>{nxt}</div></nav>
</main></div>
<footer><a href="/about">About Booking.com</a> <a href="/terms">Terms &amp; Conditions</a></footer>'''
        pages[names[p]] = doc("Booking.com : Hotels in New York . Book your hotel now!", body)
        for h in hs:
            recs.append({"hotel_name": h[0], "price_per_night": h[7], "review_score": h[3], "number_of_reviews": h[5]})
    write("01-hotel-search", pages, {
        "request": "Get the hotel name, price per night, review score and number of reviews for every hotel on {base}/index.html (both pages)",
        "start": "index.html", "keys": ["hotel_name", "price_per_night", "review_score", "number_of_reviews"], "records": recs})

# ------------------------------------------------------------------ 02 used cars (Cars.com-like)
@site
def cars():
    C = [  # title, mileage, price, monthly, dealer, place, deal, id
        ("2019 Toyota Camry SE", "42,318 mi.", "$21,995", "$398/mo*", "Toyota of Berkeley", "Berkeley, CA (3 mi.)", "Great Deal", "a81c2f"),
        ("2021 Honda Civic EX", "18,904 mi.", "$23,450", "$425/mo*", "Hayward Honda", "Hayward, CA (12 mi.)", "Good Deal", "b72d11"),
        ("2017 Ford F-150 XLT", "88,120 mi.", "$27,800", "$503/mo*", "Concord Ford Lincoln", "Concord, CA (18 mi.)", "Fair Deal", "c11e08"),
        ("2020 Tesla Model 3 Standard Range Plus", "35,617 mi.", "$24,990", "$452/mo*", "Carvana", "Oakland, CA (5 mi.)", "", "d03f9a"),
        ("2018 Subaru Outback 2.5i Premium", "61,045 mi.", "$19,488", "$353/mo*", "Subaru of San Leandro", "San Leandro, CA (9 mi.)", "Good Deal", "e55a70"),
        ("2015 BMW 328i xDrive", "97,302 mi.", "Not Priced", "", "Bay Auto Group", "Richmond, CA (11 mi.)", "", "f9021c"),
        ("2022 Hyundai Tucson SEL", "12,551 mi.", "$26,299", "$476/mo*", "Hyundai of Walnut Creek", "Walnut Creek, CA (15 mi.)", "Great Deal", "0a7be3"),
        ("2016 Mazda CX-5 Touring", "74,980 mi.", "$15,750", "$285/mo*", "Autonation Mazda", "Dublin, CA (22 mi.)", "Fair Deal", "1b44d2"),
        ("2020 Chevrolet Silverado 1500 LT", "40,233 mi.", "$34,995", "$633/mo*", "Dublin Chevrolet", "Dublin, CA (22 mi.)", "", "2c19f0"),
        ("2019 Jeep Wrangler Unlimited Sport", "51,766 mi.", "$29,450", "$533/mo*", "East Bay CDJR", "Oakland, CA (5 mi.)", "Good Deal", "3d8e61"),
        ("2021 Kia Telluride S", "28,400 mi.", "$36,888", "$668/mo*", "Kia of Fremont", "Fremont, CA (24 mi.)", "", "4e2ab5"),
        ("2014 Volkswagen Golf TDI SE", "112,008 mi.", "$9,995", "$181/mo*", "Valley Motors", "Pleasanton, CA (26 mi.)", "Great Deal", "5f6c07"),
        ("2018 Nissan Leaf SV", "30,215 mi.", "$13,200", "$239/mo*", "Nissan of Oakland", "Oakland, CA (5 mi.)", "Fair Deal", "6a0d93"),
        ("2023 Toyota RAV4 Hybrid XLE", "9,870 mi.", "$35,500", "$642/mo*", "Toyota of Berkeley", "Berkeley, CA (3 mi.)", "", "7b91e4"),
        ("2017 Audi A4 Premium", "66,332 mi.", "$18,250", "$330/mo*", "Audi Oakland", "Oakland, CA (5 mi.)", "Good Deal", "8c37a1"),
        ("2020 Ford Mustang EcoBoost", "22,704 mi.", "$25,995", "$470/mo*", "Concord Ford Lincoln", "Concord, CA (18 mi.)", "", "9d5f28"),
        ("2019 Honda CR-V EX-L", "47,091 mi.", "$25,300", "$458/mo*", "Hayward Honda", "Hayward, CA (12 mi.)", "Great Deal", "ae1b7c"),
        ("2016 Lexus RX 350", "79,455 mi.", "$26,750", "$484/mo*", "Lexus of Marin", "San Rafael, CA (19 mi.)", "Fair Deal", "bf6d40"),
    ]
    def card(c, sponsored=False):
        t, mi, pr, mo, dealer, place, deal, vid = c
        badge = f'<span class="sds-badge sds-badge--{deal.split()[0].lower()}"><span class="sds-badge__label">{deal}</span></span>' if deal else ""
        mo_h = f'<span class="monthly-payment">{mo}</span>' if mo else ""
        spons = '<p class="sponsored">Sponsored</p>' if sponsored else ""
        payload = json.dumps({"listing_id": vid, "price": pr, "make": t.split()[1], "year": t.split()[0], "sponsored": sponsored})
        return f'''<div class="vehicle-card {'featured' if sponsored else ''}" id="vehicle-card-{vid}" data-listing-id="{vid}" data-tracking-type="srp-vehicle-card">
  <div class="vehicle-card-main js-gallery-click-card" data-override-payload='{E(payload)}'>
    <div class="image-wrap"><img class="vehicle-image" src="/photos/{vid}.jpg" alt="{E(t)}" loading="lazy"><span class="photo-count">24 photos</span></div>
    <div class="vehicle-details">{spons}
      <a href="/vehicledetail/{vid}/" class="vehicle-card-link js-gallery-click-link"><h2 class="title">{E(t)}</h2></a>
      <p class="stock-type">Used</p>
      <div class="mileage">{mi}</div>
      <div class="price-section price-section-vehicle-card"><span class="primary-price">{pr}</span>{mo_h}</div>
      <div class="vehicle-badging" data-contents='{{"deal":"{deal}"}}'>{badge}<span class="sds-badge sds-badge--home-delivery">Home Delivery</span></div>
      <div class="vehicle-dealer"><div class="dealer-name"><strong>{E(dealer)}</strong></div><div class="miles-from">{place}</div></div>
      <button class="sds-button sds-button--secondary contact-buttons">Check availability</button>
    </div>
  </div>
</div>'''
    parts = chunks(C, 6)
    names = ["index.html", "page-2.html", "page-3.html"]
    pages, recs = {}, []
    for p, cs in enumerate(parts):
        cards = [card(c) for c in cs]
        if p == 0:
            cards.insert(2, card(("2024 Mazda CX-50 2.5 S Select", "6 mi.", "$30,990", "$561/mo*", "Autonation Mazda", "Dublin, CA (22 mi.)", "", "zz0001"), sponsored=True))
        cards.insert(4, '<div class="sds-page-section native-ad-slot" data-ad-unit="srp_native"><div class="ad-label">Advertisement</div><a href="https://ads.example/finance">Get pre-qualified for an auto loan in minutes</a></div>')
        nums = "".join(f'<li class="sds-pagination__item"><a aria-current="page" class="sds-pagination__link active">{i+1}</a></li>' if i == p else f'<li class="sds-pagination__item"><a class="sds-pagination__link" href="{names[i]}" aria-label="Page {i+1}">{i+1}</a></li>' for i in range(3))
        prev = f'<a id="pagination-previous-page" class="sds-button sds-button--secondary sds-pagination__control" aria-label="Previous page" href="{names[p-1]}"><svg class="sds-icon sds-icon--chevron-left" viewBox="0 0 24 24"><path d="M15 6l-6 6 6 6"/></svg></a>' if p else ""
        nxt = f'<a id="next_paginate" class="sds-button sds-button--secondary sds-pagination__control" aria-label="Next page" href="{names[p+1]}"><svg class="sds-icon sds-icon--chevron-right" viewBox="0 0 24 24"><path d="M9 6l6 6-6 6"/></svg></a>' if p < 2 else ""
        body = f'''<header class="global-header"><a class="logo" href="/">Cars.com</a><nav><a href="/shopping/">Cars for Sale</a><a href="/new-cars/">New Cars</a><a href="/research/">Research</a><a href="/sell/">Sell Your Car</a></nav></header>
<div class="srp-layout"><aside class="sidebar-filters"><h3 class="sds-heading--5">Filters</h3><div class="sds-field"><label>Make</label><ul><li><label><input type="checkbox"> Toyota (1,204)</label></li><li><label><input type="checkbox"> Honda (988)</label></li><li><label><input type="checkbox"> Ford (875)</label></li></ul></div></aside>
<section class="srp-list-container"><h1 class="sds-heading--1 srp-heading">Used cars for sale near Oakland, CA</h1><div class="total-filter-count">5,412 matches</div>
<div class="vehicle-cards" id="vehicle-cards-container">
{chr(10).join(cards)}
</div>
<div class="sds-pagination"><div class="sds-pagination__controls">{prev}<ul class="sds-pagination__list">{nums}</ul>{nxt}</div></div>
</section></div>
<footer class="global-footer"><p>© 2026 Cars.com. All rights reserved.</p></footer>'''
        pages[names[p]] = doc("Used Cars for Sale Near Oakland, CA | Cars.com", body)
        for c in cs:
            recs.append({"title": c[0], "mileage": c[1], "price": c[2], "dealer_name": c[4], "listing_url": "{base}/vehicledetail/" + c[7] + "/"})
    write("02-used-cars", pages, {
        "request": "all the used cars from {base}/index.html across the 3 pages: title, mileage, price, dealer name and listing URL",
        "start": "index.html", "keys": ["title", "mileage", "price", "dealer_name", "listing_url"], "records": recs})
# ------------------------------------------------------------------ 03 podcast episodes (Apple Podcasts web, Svelte)
@site
def podcast():
    P = [  # date, title, duration, summary, id, trailer
        ("DEC 4", "The Quiet Collapse of the Honeybee", "58 min", "Beekeepers lost nearly half their colonies last winter. We visit three apiaries to find out why.", "1000681234501", False),
        ("NOV 27", "Inside the Kitchen at Noma's Last Service", "1 hr 12 min", "A behind-the-scenes look at the final weeks of the world's most influential restaurant.", "1000680112233", False),
        ("NOV 20", "Why Nobody Can Agree on What Time It Is", "44 min", "Leap seconds, GPS drift and the engineers who keep the world's clocks in step.", "1000679001122", False),
        ("NOV 13", "Bonus: Listener Questions, Part 2", "23 min", "We answer your questions about microplastics, tides and the sound of the northern lights.", "1000677890011", False),
        ("NOV 6", "The Man Who Mapped the Ocean Floor", "51 min", "Marie Tharp drew the first scientific map of the Atlantic seabed — and was written out of the story.", "1000676778899", False),
        ("OCT 30", "Ghost Ships of the Baltic", "1 hr 3 min", "Divers are finding perfectly preserved wrecks in the cold, brackish water of the Baltic Sea.", "1000675667788", False),
        ("OCT 23", "How a Spreadsheet Error Shaped a Decade", "39 min", "The Reinhart–Rogoff mistake and what it teaches us about checking our work.", "1000674556677", False),
        ("OCT 16", "The Sound of Silence (Literally)", "47 min", "We spend a night in the quietest room on Earth.", "1000673445566", False),
        ("OCT 9", "Mushrooms That Eat Plastic", "55 min", "Researchers in Ecuador found a fungus that digests polyurethane. Can it scale?", "1000672334455", False),
        ("OCT 2", "Season 4 Finale: What We Got Wrong", "1 hr 21 min", "Corrections, updates and a look ahead to next season.", "1000671223344", False),
        ("SEP 25, 2025", "Trailer: Season 4", "2 min", "A new season of stories about the hidden systems that run the world.", "1000670112233", True),
    ]
    def item(e):
        d, t, dur, s, i, trailer = e
        tag = '<span class="episode-type svelte-1pt2jw3" data-testid="episode-type">Trailer</span>' if trailer else ""
        return f'''<li class="svelte-8rlk6b" data-testid="episode-lockup"><div class="episode svelte-1pt2jw3"><a href="/us/podcast/hidden-systems/id1523456789?i={i}" class="link-action svelte-1c9ml6j" data-testid="click-action">
<section class="episode-details svelte-1pt2jw3"><div class="episode-details__eyebrow svelte-1pt2jw3"><p class="date svelte-1pt2jw3" data-testid="episode-date">{d}</p>{tag}</div>
<h3 class="multiline-clamp svelte-1a3ruhc multiline-clamp--overflow" style="--mc-lineClamp: var(--defaultClampOverride, 2);" data-testid="episode-lockup-title"><span class="multiline-clamp__text svelte-1a3ruhc">{E(t)}</span></h3>
<div class="multiline-clamp svelte-1a3ruhc" data-testid="episode-content__summary"><p class="multiline-clamp__text svelte-1a3ruhc">{E(s)}</p></div></section>
<section class="episode-controls svelte-1pt2jw3"><div class="play-button-wrapper svelte-1pt2jw3"><button class="play-button svelte-19j07e7" aria-label="Play"><svg class="icon" viewBox="0 0 16 16"><path d="M3 2l10 6-10 6z"/></svg></button><div class="duration svelte-1pt2jw3" data-testid="episode-duration">{dur}</div></div>
<button class="more-button svelte-1sbz6hb" aria-label="MORE">…</button></section></a></div></li>'''
    latest = P[0]
    body = f'''<div class="navigation svelte-13li0vp" data-testid="navigation"><a href="/us/browse">Home</a><a href="/us/new">New</a><a href="/us/charts">Top Charts</a><a href="/us/search">Search</a></div>
<main class="svelte-1i6fbjd"><div class="content-container svelte-1i6fbjd">
<div class="container-detail-header svelte-1pn2gdi"><div class="headings svelte-1uuona0"><h1 class="headings__title svelte-1uuona0" data-testid="non-editable-product-title"><span dir="auto">Hidden Systems</span></h1>
<p class="headings__subtitles svelte-1uuona0" data-testid="product-subtitles"><a href="/us/channel/northlight-audio/id6441234">Northlight Audio</a></p>
<ul class="metadata svelte-123qhuj"><li>Science</li><li>Weekly</li><li><span aria-label="Rated 4.8 out of 5">4.8</span> <span>(2.1K)</span></li></ul></div></div>
<section class="section svelte-7p2gwj" data-testid="section-container" aria-label="Latest Episode"><div class="header svelte-rnrb59"><h2 class="title svelte-rnrb59">Latest Episode</h2></div>
<div class="latest-episode svelte-3qxs2n"><p class="latest-episode__date">{latest[0]}</p><h3 class="latest-episode__title">{E(latest[1])}</h3><button aria-label="Play">Play</button><span class="latest-episode__duration">{latest[2]}</span></div></section>
<section class="section svelte-7p2gwj" data-testid="section-container" aria-label="Episodes"><div class="header svelte-rnrb59"><h2 class="title svelte-rnrb59"><a href="/us/podcast/hidden-systems/id1523456789?see-all=episodes">Episodes</a></h2></div>
<ol class="shelf-grid__list shelf-grid__list--grid-type-EpisodeList svelte-1gsbhcv" role="list" data-testid="shelf-item-list">
{chr(10).join(item(e) for e in P)}
</ol></section>
<section class="section svelte-7p2gwj" aria-label="You Might Also Like"><h2 class="title svelte-rnrb59">You Might Also Like</h2><ul class="shelf-grid__list svelte-1gsbhcv" role="list">
<li class="shelf-grid__item"><a href="/us/podcast/radiolab/id152249110"><div class="product-lockup__title">Radiolab</div><p class="product-lockup__subtitle">WNYC Studios</p></a></li>
<li class="shelf-grid__item"><a href="/us/podcast/99-invisible/id394775318"><div class="product-lockup__title">99% Invisible</div><p class="product-lockup__subtitle">Roman Mars</p></a></li>
<li class="shelf-grid__item"><a href="/us/podcast/science-vs/id1051557000"><div class="product-lockup__title">Science Vs</div><p class="product-lockup__subtitle">Spotify Studios</p></a></li></ul></section>
</div></main>'''
    pages = {"index.html": doc("Hidden Systems - Podcast - Apple Podcasts", body, head='<meta property="og:title" content="Hidden Systems"><meta property="og:type" content="website">')}
    recs = [{"episode_title": e[1], "release_date": e[0], "duration": e[2]} for e in P]
    write("03-podcast-episodes", pages, {"request": "{base}/index.html - episode title, release date, duration",
        "start": "index.html", "keys": ["episode_title", "release_date", "duration"], "records": recs})

# ------------------------------------------------------------------ 04 arXiv search results
@site
def arxiv():
    A = [  # id, cat, title, authors, submitted
        ("2412.01881", "cs.CL", "Sparse Mixture-of-Experts Language Models Are Better Calibrated Than You Think", ["Mira Okafor", "Daniel Whitcombe", "Yuki Tanabe"]),
        ("2412.01702", "cs.LG", "On the Convergence of Adaptive Gradient Methods under Heavy-Tailed Noise", ["Lukas Brenner", "Ana Sofía Ruiz"]),
        ("2411.19954", "cs.CV", "Zero-Shot Depth Estimation from Event Cameras with Diffusion Priors", ["Chen Wei", "Priya Raman", "Oliver Stahl", "Fatima Zahra Idrissi"]),
        ("2411.19320", "stat.ML", "A Note on Conformal Prediction for Time Series with Distribution Shift", ["Hannah Lindqvist"]),
        ("2411.18807", "cs.CL", "Retrieval-Augmented Generation Fails Quietly: An Audit of 40 Production Systems", ["Samuel Adeyemi", "Grace Liu", "Tomás Herrera", "Ines Duarte", "Ravi Menon"]),
        ("2411.18455", "cs.RO", "Learning Dexterous In-Hand Manipulation from Forty Minutes of Teleoperation", ["Jonas Weber", "Keiko Mori"]),
        ("2411.17730", "cs.LG", "Tabular Foundation Models Do Not Yet Beat Gradient Boosting", ["Elena Petrova", "Marcus Hale"]),
        ("2411.17012", "cs.CL", "Multilingual Instruction Tuning with Synthetic Dialogues in 57 Languages", ["Aylin Demir", "Kwame Mensah", "Lucía Navarro"]),
        ("2411.16649", "cs.AI", "Planning with Language Models as World Simulators: A Critical Evaluation", ["Benjamin Kraus"]),
        ("2411.16001", "q-bio.NC", "Grid Cells Emerge in Recurrent Networks Trained on Path Integration with Noise", ["Sara Goldberg", "Arjun Pillai", "Mei Lin"]),
        ("2411.15388", "cs.CV", "Benchmarking Open-Vocabulary Segmentation on Aerial Imagery", ["Nikolai Ivanov", "Julia Costa"]),
        ("2411.14923", "cs.CL", "When Do Chain-of-Thought Explanations Reflect the Model's Reasoning?", ["Rachel Osei", "Thomas Müller", "Hiroshi Sato"]),
    ]
    subs = ["2 December, 2024", "2 December, 2024", "29 November, 2024", "28 November, 2024", "28 November, 2024", "27 November, 2024",
            "26 November, 2024", "25 November, 2024", "25 November, 2024", "24 November, 2024", "23 November, 2024", "22 November, 2024"]
    def item(a, sub):
        i, cat, t, au = a
        auh = ", ".join(f'<a href="/search/?searchtype=author&amp;query={E(x.split()[-1])}%2C+{E(x.split()[0])}">{E(x)}</a>' for x in au)
        return f'''<li class="arxiv-result">
  <div class="is-marginless"><p class="list-title is-inline-block"><a href="/abs/{i}">arXiv:{i}</a>
   <span>&nbsp;[<a href="/pdf/{i}">pdf</a>, <a href="/html/{i}v1">html</a>, <a href="/format/{i}">other</a>]&nbsp;</span></p>
   <div class="tags is-inline-block"><span class="tag is-small is-link tooltip is-tooltip-top" data-tooltip="{cat}">{cat}</span></div></div>
  <p class="title is-5 mathjax">
      {E(t)}
  </p>
  <p class="authors">
    <span class="search-hit">Authors:</span>
    {auh}
  </p>
  <p class="abstract mathjax"><span class="has-text-black-bold">Abstract</span>: <span class="abstract-short has-text-grey-dark mathjax" id="{i}v1-abstract-short" style="display: inline;">We study {E(t.lower()[:60])}&hellip;</span>
   <a class="is-size-7" style="white-space: nowrap;" onclick="document.getElementById('{i}v1-abstract-full').style.display = 'inline';">&#9661; More</a></p>
  <p class="is-size-7"><span class="has-text-black-bold">Submitted</span> {sub}; <span class="has-text-black-bold">originally announced</span> {sub.split(' ', 1)[1].replace(',', '')}.</p>
  <p class="comments is-size-7"><span class="has-text-black-bold">Comments:</span> <span class="has-text-grey-dark mathjax">14 pages, 6 figures</span></p>
</li>'''
    parts = chunks(list(zip(A, subs)), 6)
    names = ["index.html", "page-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        prev = f'<a href="{names[p-1]}" class="pagination-previous">Previous</a>' if p else '<a href="" class="pagination-previous is-invisible">Previous</a>'
        nxt = f'<a href="{names[p+1]}" class="pagination-next">Next</a>' if p + 1 < len(parts) else '<a href="" class="pagination-next is-invisible">Next</a>'
        nums = "".join(f'<li><a href="{names[k]}" class="pagination-link {"is-current" if k == p else ""}" aria-label="Goto page {k+1}">{k+1}</a></li>' for k in range(len(parts)))
        nav = f'<nav class="pagination is-small is-centered breathe-horizontal" role="navigation" aria-label="pagination">{prev}{nxt}<ul class="pagination-list">{nums}</ul></nav>'
        body = f'''<header><a href="#content" class="is-sr-only">Skip to main content</a><div class="attribution level is-marginless" role="banner"><div class="level-left"><a class="level-item" href="https://cornell.edu/"><img src="/static/cu/cornell-reduced-white-SMALL.svg" alt="Cornell University"></a></div><div class="level-right is-marginless"><p class="sponsors level-item is-marginless"><span id="support-ack-url">We gratefully acknowledge support from the Simons Foundation, member institutions, and all contributors.</span> <a href="https://info.arxiv.org/about/donate.html">Donate</a></p></div></div></header>
<main class="container" id="main-container"><div class="level is-marginless"><div class="level-left"><h1 class="title is-clearfix">Showing {p*6+1}&ndash;{p*6+len(xs)} of 12 results for all: <span class="mathjax">language models</span></h1></div></div>
<div class="content"><form method="GET" action="/search/" aria-role="search"><input class="input is-small" type="text" name="query" value="language models"><button class="button is-small is-cul-darker">Search</button></form>
{nav}
<ol class="breathe-horizontal" start="{p*6+1}">
{chr(10).join(item(a, s) for a, s in xs)}
</ol>
{nav}
</div></main>
<footer><div class="columns is-desktop" role="navigation" aria-label="Secondary"><ul><li><a href="https://info.arxiv.org/about">About</a></li><li><a href="https://info.arxiv.org/help">Help</a></li></ul></div></footer>'''
        pages[names[p]] = doc("Search | arXiv e-print repository", body)
        for a, s in xs:
            recs.append({"title": a[2], "authors": ", ".join(a[3]), "arxiv_id": "arXiv:" + a[0], "link": "{base}/abs/" + a[0]})
    write("04-arxiv-search", pages, {
        "request": "Please collect the title, authors, arXiv ID and link for each paper in these arXiv search results: {base}/index.html (first 2 pages).",
        "start": "index.html", "keys": ["title", "authors", "arxiv_id", "link"], "records": recs})
# ------------------------------------------------------------------ 05 league standings (BBC Sport-like)
@site
def standings():
    T = [  # team, abbr, W, D, L, GF, GA
        ("Arsenal", "ARS", 11, 3, 1, 31, 9), ("Liverpool", "LIV", 10, 3, 2, 33, 15), ("Manchester City", "MCI", 10, 2, 3, 35, 16),
        ("Chelsea", "CHE", 9, 3, 3, 28, 14), ("Aston Villa", "AVL", 8, 4, 3, 24, 17), ("Tottenham Hotspur", "TOT", 8, 3, 4, 27, 19),
        ("Newcastle United", "NEW", 7, 5, 3, 22, 14), ("Brighton & Hove Albion", "BHA", 7, 4, 4, 25, 21), ("Manchester United", "MUN", 6, 5, 4, 20, 18),
        ("Fulham", "FUL", 6, 4, 5, 19, 19), ("Bournemouth", "BOU", 5, 6, 4, 21, 22), ("Brentford", "BRE", 6, 2, 7, 23, 25),
        ("West Ham United", "WHU", 5, 4, 6, 19, 24), ("Crystal Palace", "CRY", 4, 6, 5, 16, 19), ("Nottingham Forest", "NFO", 4, 5, 6, 15, 20),
        ("Everton", "EVE", 4, 4, 7, 14, 22), ("Wolverhampton Wanderers", "WOL", 3, 5, 7, 18, 28), ("Leeds United", "LEE", 3, 4, 8, 14, 26),
        ("Burnley", "BUR", 2, 3, 10, 12, 31), ("Sunderland", "SUN", 1, 5, 9, 11, 29),
    ]
    rows = []
    recs = []
    forms = ["WWDWW", "WLWWD", "DWWLW", "WWLDW", "LWDWW", "WLWDL", "DDWWL", "WLDWL", "LDWWD", "DLWLW"]
    for n, (team, ab, w, d, l, gf, ga) in enumerate(T, 1):
        p = w + d + l
        gd = gf - ga
        gds = f"+{gd}" if gd > 0 else str(gd)
        pts = 3 * w + d
        form = forms[n % len(forms)]
        fh = "".join(f'<li class="ssrcss-1f6m7yz-FormItem e3s1mzu2"><div class="ssrcss-q9mkzm-ResultLabel" title="{ {"W":"Won","D":"Drew","L":"Lost"}[c] }"><span aria-hidden="true">{c}</span><span class="ssrcss-1f39n02-VisuallyHidden e16en2lz0">{ {"W":"Won","D":"Drew","L":"Lost"}[c] }</span></div></li>' for c in form)
        zone = " ssrcss-qbcvlc-ChampionsLeague" if n <= 4 else (" ssrcss-8e6ihk-Relegation" if n >= 18 else "")
        rows.append(f'''<tr class="ssrcss-dpmlgy-TableRowBody e3bga5w4{zone}"><td class="ssrcss-xw0taf-TableData e3bga5w1"><span class="ssrcss-1f5b3cb-Rank e1a9r5j71">{n}</span><span class="ssrcss-1f39n02-VisuallyHidden e16en2lz0">, position {"unchanged" if n % 3 else "up 1"}</span></td>
<td class="ssrcss-xw0taf-TableData e3bga5w1"><div class="ssrcss-1w2uwdb-TeamWrapper e1a9r5j70"><img alt="" src="/sport/badges/{ab.lower()}.png" width="16" class="ssrcss-1xdmz3m-Badge"><span class="ssrcss-1f39n02-VisuallyHidden e16en2lz0">{E(team)}</span><span aria-hidden="true" class="ssrcss-1n5v6ew-TeamAbbr">{ab}</span><a aria-hidden="true" tabindex="-1" href="/sport/football/teams/{team.lower().replace(' & ', '-and-').replace(' ', '-')}" class="ssrcss-y1kkr1-StyledLink e1a9r5j72"><span class="ssrcss-u0c0u6-TeamName">{E(team)}</span></a></div></td>
<td class="ssrcss-xw0taf-TableData e3bga5w1">{p}</td><td class="ssrcss-xw0taf-TableData e3bga5w1">{w}</td><td class="ssrcss-xw0taf-TableData e3bga5w1">{d}</td><td class="ssrcss-xw0taf-TableData e3bga5w1">{l}</td>
<td class="ssrcss-xw0taf-TableData e3bga5w1">{gf}</td><td class="ssrcss-xw0taf-TableData e3bga5w1">{ga}</td><td class="ssrcss-xw0taf-TableData e3bga5w1">{gds}</td><td class="ssrcss-xw0taf-TableData e3bga5w1 ssrcss-1hnf1b6-Points">{pts}</td>
<td class="ssrcss-xw0taf-TableData e3bga5w1"><ul class="ssrcss-lo5f6c-FormList e3s1mzu1" aria-label="Form, last 5 games">{fh}</ul></td></tr>''')
        recs.append({"position": str(n), "team": team, "played": str(p), "won": str(w), "drawn": str(d), "lost": str(l), "goal_difference": gds, "points": str(pts)})
    def th(short, full):
        return f'<th scope="col" class="ssrcss-1ktuq5y-TableHeading e3bga5w3"><abbr title="{full}" class="ssrcss-2q0g2p-Abbr"><span aria-hidden="true">{short}</span><span class="ssrcss-1f39n02-VisuallyHidden e16en2lz0">{full}</span></abbr></th>'
    head = ('<th scope="col" class="ssrcss-1ktuq5y-TableHeading e3bga5w3"><span class="ssrcss-1f39n02-VisuallyHidden e16en2lz0">Position</span></th>'
            '<th scope="col" class="ssrcss-1ktuq5y-TableHeading e3bga5w3">Team</th>' + th("P", "Played") + th("W", "Won") + th("D", "Drawn") + th("L", "Lost")
            + th("F", "Goals For") + th("A", "Goals Against") + th("GD", "Goal Difference") + th("Pts", "Points") + '<th scope="col" class="ssrcss-1ktuq5y-TableHeading e3bga5w3">Form</th>')
    scorers = [("Erling Haaland", "Manchester City", 14), ("Mohamed Salah", "Liverpool", 11), ("Bukayo Saka", "Arsenal", 9), ("Ollie Watkins", "Aston Villa", 8)]
    sc = "".join(f'<tr><td>{i}</td><td>{E(a)}</td><td>{E(b)}</td><td>{g}</td></tr>' for i, (a, b, g) in enumerate(scorers, 1))
    body = f'''<header class="ssrcss-1ouyqbj-GlobalNavigation"><a href="/">BBC</a><nav><a href="/news">News</a><a href="/sport">Sport</a><a href="/weather">Weather</a></nav></header>
<div id="main-content" class="ssrcss-1ocoo3l-Wrap e42f8511"><h1 id="main-heading" class="ssrcss-hq4cry-StyledHeading e10rt3ze0">Premier League Table</h1>
<nav aria-label="Football" class="ssrcss-16m2w6r-SecondaryNavigation"><ul><li><a href="/sport/football/premier-league/scores-fixtures">Scores &amp; Fixtures</a></li><li><a aria-current="page" href="/sport/football/premier-league/table">Table</a></li><li><a href="/sport/football/premier-league/top-scorers">Top Scorers</a></li></ul></nav>
<div class="ssrcss-1pnd4v1-SelectWrapper"><label for="season">Season</label><select id="season"><option>2025/26</option><option>2024/25</option></select></div>
<div class="ssrcss-1y596zx-TableWrapper e3bga5w6"><table class="ssrcss-14j0ip6-Table e3bga5w5"><caption class="ssrcss-1f39n02-VisuallyHidden e16en2lz0">Premier League table, updated 7 December 2025</caption>
<thead><tr class="ssrcss-1fnxfco-TableRowHeader e3bga5w2">{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div>
<div class="ssrcss-1i9wpvn-Key"><h2>Key</h2><ul><li><span class="ssrcss-qbcvlc-ChampionsLeague">&nbsp;</span>Champions League</li><li><span class="ssrcss-8e6ihk-Relegation">&nbsp;</span>Relegation</li></ul></div>
<section aria-labelledby="top-scorers"><h2 id="top-scorers">Top scorers</h2><table class="ssrcss-14j0ip6-Table e3bga5w5"><thead><tr><th>Rank</th><th>Player</th><th>Team</th><th>Goals</th></tr></thead><tbody>{sc}</tbody></table></section>
<p class="ssrcss-1q0x1qg-Paragraph">Last updated 7 December 2025 at 19:35</p></div>'''
    pages = {"index.html": doc("Premier League Table, Form Guide & Season Archives - BBC Sport", body, lang="en-GB")}
    write("05-league-standings", pages, {
        "request": "I need the league table from {base}/index.html: position, team, played, won, drawn, lost, goal difference and points for each club",
        "start": "index.html", "keys": ["position", "team", "played", "won", "drawn", "lost", "goal_difference", "points"], "records": recs})

# ------------------------------------------------------------------ 06 app store top charts (Google Play-like)
@site
def appcharts():
    A = [  # name, developer, category, rating, pkg
        ("TikTok", "TikTok Pte. Ltd.", "Social", "4.3", "com.zhiliaoapp.musically"),
        ("Temu: Shop Like a Billionaire", "Temu", "Shopping", "4.6", "com.einnovation.temu"),
        ("ChatGPT", "OpenAI", "Productivity", "4.7", "com.openai.chatgpt"),
        ("Threads", "Instagram", "Social", "3.9", "com.instagram.barcelona"),
        ("CapCut - Video Editor", "Bytedance Pte. Ltd.", "Video Players & Editors", "4.4", "com.lemon.lvoverseas"),
        ("WhatsApp Messenger", "WhatsApp LLC", "Communication", "4.2", "com.whatsapp"),
        ("Block Blast!", "Hungry Studio", "Puzzle", "4.8", "com.block.juggle"),
        ("Duolingo: Language Lessons", "Duolingo", "Education", "4.7", "com.duolingo"),
        ("Pocket Budget Tracker", "Kestrel Apps", "Finance", "", "com.kestrel.pocketbudget"),
        ("Spotify: Music and Podcasts", "Spotify AB", "Music & Audio", "4.4", "com.spotify.music"),
        ("Google Gemini", "Google LLC", "Productivity", "4.5", "com.google.android.apps.bard"),
        ("Shein-Shopping Online", "Roadget Business PTE. LTD.", "Shopping", "4.6", "com.zzkko"),
        ("Royal Match", "Dream Games", "Puzzle", "4.8", "com.dreamgames.royalmatch"),
        ("Cash App", "Block, Inc.", "Finance", "4.6", "com.squareup.cash"),
        ("Max: Stream HBO, TV, & Movies", "WarnerMedia Global Digital Services, LLC", "Entertainment", "3.8", "com.wbd.stream"),
    ]
    items, recs = [], []
    for n, (name, dev, cat, rating, pkg) in enumerate(A, 1):
        rt = (f'<div class="ubGTjb"><div style="display: inline-flex; align-items: center;"><span class="w2kbF">{rating}</span>'
              f'<span class="Q6fryd"><i class="google-material-icons notranslate" aria-hidden="true">star</i></span></div></div>') if rating else ""
        items.append(f'''<div role="listitem" class="ULeU3b"><div class="VfPpkd-WsjYwc VfPpkd-WsjYwc-OWXEXe-INsAgc KC1dQ Usd1Ac AaN0Dd  Y8RQXd"><div class="VfPpkd-aGsRMb"><div class="VfPpkd-EScbFb-JIbuQc TAQqTe" jscontroller="tKHFxf" jsaction="click:cOuCgd"><a class="Si6A0c itIJzb" href="/store/apps/details?id={pkg}" aria-label="{E(name)}"><div class="j2FCNc"><div class="pZYFGb">{n}</div>
<img src="/icons/{pkg}.webp" srcset="/icons/{pkg}-2x.webp 2x" class="T75of stzEZd" aria-hidden="true" alt="Thumbnail image" loading="lazy">
<div class="cXFu1"><div class="ubGTjb"><span class="DdYX5">{E(name)}</span></div><div class="ubGTjb"><span class="wMUdtb">{E(dev)}</span></div><div class="ubGTjb"><span class="w2kbF">{E(cat)}</span></div>{rt}</div></div></a></div></div></div></div>''')
        recs.append({"rank": str(n), "app_name": name, "developer": dev, "category": cat, "rating": rating})
    body = f'''<header class="VfPpkd-tJHJj"><a href="/store/games" class="f0UV3d">Games</a><a href="/store/apps" class="f0UV3d" aria-current="page">Apps</a><a href="/store/movies" class="f0UV3d">Movies &amp; TV</a><a href="/store/books" class="f0UV3d">Books</a><a href="/store/apps/kids" class="f0UV3d">Kids</a></header>
<div class="T4LgNb" jsname="a9kxte"><div class="kFwPee"><div role="tablist" class="VfPpkd-Ry3yHb"><a role="tab" href="/store/apps?hl=en" class="VfPpkd-AznF2e">For you</a><a role="tab" aria-selected="true" class="VfPpkd-AznF2e" href="/store/apps/top">Top charts</a><a role="tab" href="/store/apps/new" class="VfPpkd-AznF2e">Other devices</a><a role="tab" href="/store/apps/category" class="VfPpkd-AznF2e">Categories</a></div>
<div class="oVnAB"><div role="radiogroup" class="VfPpkd-OkbHre"><span role="radio" aria-checked="true" class="VfPpkd-LgbsSe">Top free</span><span role="radio" aria-checked="false" class="VfPpkd-LgbsSe">Top grossing</span><span role="radio" aria-checked="false" class="VfPpkd-LgbsSe">Top paid</span></div>
<div class="VfPpkd-O1htCb"><span class="VfPpkd-uusGie-fmcmS">All categories</span></div></div>
<section class="oVnAB"><div class="ULeU3b neq64b"><div class="VfPpkd-EScbFb-JIbuQc"><a class="Si6A0c" href="/store/apps/details?id=com.kestrel.pocketbudget"><div class="Epkrse">Ad</div><span class="sT93pb DdYX5">Pocket Budget Tracker — Take control of your money</span><span class="sT93pb w2kbF">Finance</span></a></div></div>
<div role="list" class="ZmHEEd fLyRuc" aria-label="Top free apps">
{chr(10).join(items)}
</div></section></div></div>
<footer class="ZUUUlc"><a href="/about/play-terms">Terms of Service</a><a href="https://policies.google.com/privacy">Privacy</a></footer>'''
    pages = {"index.html": doc("Top charts - Android Apps on Google Play", body)}
    write("06-app-charts", pages, {"request": "top charts {base}/index.html → rank, app name, developer, category, rating",
        "start": "index.html", "keys": ["rank", "app_name", "developer", "category", "rating"], "records": recs})

# ------------------------------------------------------------------ 07 music chart (Billboard Hot 100-like)
@site
def musicchart():
    S = [  # title, artist, lw, peak, wks
        ("Golden Hour Again", "Sabrina Vale", "1", "1", "14"), ("Paper Planes Over Memphis", "Jonah Reyes & The Tide", "3", "2", "9"),
        ("Who Told You", "KAYLA", "2", "1", "22"), ("Midnight in Lagos", "Tems Ade Featuring Darius Cole", "5", "4", "6"),
        ("Slow Burn", "Marcus King Band", "4", "3", "31"), ("Cherry Cola", "The Velvet Hours", "-", "6", "1"),
        ("Don't Call Me Sweet", "Lila Monroe", "7", "5", "12"), ("Backroad Prayer", "Cody Hale", "9", "8", "18"),
        ("Neon Saints", "ODESZA Featuring Ellie Grey", "8", "7", "10"), ("Ghost Town Radio", "Ray Calder", "6", "2", "26"),
        ("Fever Dream", "Nia Sol", "12", "10", "5"), ("Satellites", "Brightside", "11", "9", "15"),
        ("All I Ever Wanted", "Lila Monroe", "-", "13", "3"), ("Mama's Kitchen", "Tyler Brooks", "14", "11", "20"),
        ("Copper Sky", "Hollow Pines", "13", "12", "8"),
    ]
    rows, recs = [], []
    for n, (t, a, lw, pk, wk) in enumerate(S, 1):
        badge = ""
        if lw == "-":
            badge = '<span class="c-label a-font-primary-bold-xxs lrv-u-background-color-brand-accent-yellow u-font-size-10 lrv-u-padding-lr-025">NEW</span>' if wk == "1" else '<span class="c-label a-font-primary-bold-xxs lrv-u-background-color-grey u-font-size-10 lrv-u-padding-lr-025">RE- ENTRY</span>'
        rows.append(f'''<div class="o-chart-results-list-row-container">
<ul class="o-chart-results-list-row // lrv-a-unstyle-list lrv-u-flex u-height-97 lrv-u-align-items-center lrv-u-border-b-1 u-border-b-0@mobile-max lrv-u-border-color-grey-light">
<li class="o-chart-results-list__item // lrv-u-background-color-black lrv-u-color-white u-width-72 u-width-55@mobile-max u-width-55@tablet-only lrv-u-height-100p lrv-u-flex lrv-u-flex-direction-column lrv-u-align-items-center lrv-u-justify-content-center lrv-u-border-b-1 u-border-b-0@mobile-max lrv-u-border-color-grey">
<span class="c-label  a-font-primary-bold-l u-font-size-32@tablet u-letter-spacing-0080@tablet">
	{n}	</span>
{badge}</li>
<li class="o-chart-results-list__item // lrv-u-flex u-width-100 lrv-u-height-100p"><div class="c-lazy-image lrv-a-crop-1x1"><img class="c-lazy-image__img lrv-u-width-100p" alt="{E(a)}" src="/charts/art/{n}.jpg"></div></li>
<li class="lrv-u-width-100p"><ul class="lrv-a-unstyle-list lrv-u-flex lrv-u-height-100p lrv-u-flex-direction-column@mobile-max">
<li class="o-chart-results-list__item // lrv-u-flex-grow-1 lrv-u-flex lrv-u-flex-direction-column lrv-u-justify-content-center lrv-u-border-b-1 u-border-b-0@mobile-max lrv-u-border-color-grey-light lrv-u-padding-l-050 lrv-u-padding-l-1@mobile-max">
<h3 id="title-of-a-story" class="c-title  a-no-trucate a-font-primary-bold-s u-letter-spacing-0021 lrv-u-font-size-18@tablet lrv-u-font-size-16 u-line-height-125 u-line-height-normal@mobile-max a-truncate-ellipsis u-max-width-330 u-max-width-230@tablet-only">
	{E(t)}</h3>
<span class="c-label  a-no-trucate a-font-primary-s lrv-u-font-size-14@mobile-max u-line-height-normal@mobile-max u-letter-spacing-0021 lrv-u-display-block a-truncate-ellipsis-2line u-max-width-330 u-max-width-230@tablet-only">
	{E(a)}</span>
</li>
<li class="o-chart-results-list__item // a-chart-has-chart-detail u-width-72 u-width-55@mobile-max lrv-u-flex lrv-u-align-items-center lrv-u-justify-content-center lrv-u-border-l-1 lrv-u-border-color-grey-light u-hidden@mobile-max"><button class="c-button">Award</button></li>
<li class="o-chart-results-list__item // a-chart-color u-width-72 u-width-55@mobile-max u-width-55@tablet-only lrv-u-flex lrv-u-flex-shrink-0 lrv-u-align-items-center lrv-u-justify-content-center lrv-u-border-b-1 u-border-b-0@mobile-max lrv-u-border-color-grey-light">
<span class="c-label  a-font-primary-m lrv-u-padding-tb-050@mobile-max">
	{lw}</span></li>
<li class="o-chart-results-list__item // a-chart-color u-width-72 u-width-55@mobile-max u-width-55@tablet-only lrv-u-flex lrv-u-flex-shrink-0 lrv-u-align-items-center lrv-u-justify-content-center lrv-u-border-b-1 u-border-b-0@mobile-max lrv-u-border-color-grey-light">
<span class="c-label  a-font-primary-m lrv-u-padding-tb-050@mobile-max">
	{pk}</span></li>
<li class="o-chart-results-list__item // a-chart-color u-width-72 u-width-55@mobile-max u-width-55@tablet-only lrv-u-flex lrv-u-flex-shrink-0 lrv-u-align-items-center lrv-u-justify-content-center lrv-u-border-b-1 u-border-b-0@mobile-max lrv-u-border-color-grey-light">
<span class="c-label  a-font-primary-m lrv-u-padding-tb-050@mobile-max">
	{wk}</span></li>
</ul></li></ul></div>''')
        if n == 5:
            rows.append('<div class="o-chart-results-list-row-container"><div class="ad-slot lrv-u-text-align-center"><span class="c-label">Advertisement</span><div id="gpt-mid-article" data-ad-unit="/charts/hot100/mid"></div></div></div>')
        recs.append({"rank": str(n), "title": t, "artist": a, "peak_position": pk, "weeks_on_chart": wk})
    header = '''<div class="chart-results-header lrv-u-flex lrv-u-border-b-1 u-hidden@mobile-max"><span class="c-label a-font-basic u-font-size-11 u-width-72">This week</span><span class="c-label a-font-basic u-font-size-11 lrv-u-flex-grow-1">Award</span><span class="c-label a-font-basic u-font-size-11 u-width-72">Last Week</span><span class="c-label a-font-basic u-font-size-11 u-width-72">Peak Pos.</span><span class="c-label a-font-basic u-font-size-11 u-width-72">Wks on Chart</span></div>'''
    body = f'''<header class="lrv-a-wrapper"><a href="/" class="c-logo">billboard</a><nav><a href="/charts/">Charts</a><a href="/c/music/">Music</a><a href="/c/video/">Video</a></nav></header>
<div class="chart-detail-header"><h1 class="c-heading a-font-secondary-bold-l">Billboard Hot 100™</h1><p class="c-tagline">Week of December 13, 2025</p>
<div class="c-tagline">The week's most popular songs, ranked by audio and video streaming activity, radio airplay and sales data.</div></div>
<div class="chart-results lrv-a-wrapper"><div class="chart-results-list // lrv-u-padding-t-150 lrv-u-padding-t-050@mobile-max">
{header}
{chr(10).join(rows)}
</div></div>
<aside class="o-sidebar"><h2>Trending</h2><ul><li><a href="/music/news/1">Taylor Swift breaks another record</a></li><li><a href="/music/news/2">The 50 best albums of the year</a></li></ul></aside>'''
    pages = {"index.html": doc("Billboard Hot 100™", body)}
    write("07-music-chart", pages, {"request": "Grab each song's rank, title, artist, peak position and weeks on chart from {base}/index.html",
        "start": "index.html", "keys": ["rank", "title", "artist", "peak_position", "weeks_on_chart"], "records": recs})
# ------------------------------------------------------------------ 08 classified ads (Craigslist classic rows)
@site
def classifieds():
    L = [  # date, datetime, title, price, hood, pid, cat
        ("Dec 7", "2025-12-07 18:42", "Mid-century walnut dresser - 6 drawers", "$180", "oakland rockridge", "7801234561", "fuo"),
        ("Dec 7", "2025-12-07 17:05", "IKEA KALLAX shelf 4x4 white", "$60", "berkeley", "7801234122", "fuo"),
        ("Dec 7", "2025-12-07 15:51", "FREE couch - must pick up today", "", "alameda", "7801233877", "zip"),
        ("Dec 7", "2025-12-07 12:20", "Solid oak dining table + 4 chairs", "$350", "walnut creek", "7801232210", "fuo"),
        ("Dec 6", "2025-12-06 21:14", "Herman Miller Aeron chair size B", "$425", "san leandro", "7801229870", "fuo"),
        ("Dec 6", "2025-12-06 19:02", "Queen bed frame w/ headboard (no mattress)", "$90", "fremont", "7801228843", "fuo"),
        ("Dec 6", "2025-12-06 11:47", "Vintage rattan peacock chair", "$275", "oakland lake merritt", "7801226001", "fuo"),
        ("Dec 5", "2025-12-05 20:33", "Standing desk - electric, 60\" top", "$220", "hayward", "7801221995", "fuo"),
        ("Dec 5", "2025-12-05 14:32", "Leather recliner, brown, good condition", "$150", "concord / pleasant hill / martinez", "7801219034", "fuo"),
        ("Dec 5", "2025-12-05 09:10", "Bookcase - solid pine, 6 ft", "$45", "el cerrito", "7801217650", "fuo"),
        ("Dec 4", "2025-12-04 22:08", "Moving sale: sofa, rug, lamps", "$1", "emeryville", "7801214423", "fuo"),
        ("Dec 4", "2025-12-04 16:55", "Danish teak sideboard", "$650", "berkeley north / hills", "7801212099", "fuo"),
        ("Dec 4", "2025-12-04 10:27", "Kids bunk bed with desk", "$200", "dublin / pleasanton / livermore", "7801209911", "fuo"),
        ("Dec 3", "2025-12-03 19:40", "Free moving boxes and packing paper", "", "oakland downtown", "7801206612", "zip"),
        ("Dec 3", "2025-12-03 13:18", "Glass coffee table", "$40", "richmond / point / annex", "7801203384", "fuo"),
        ("Dec 3", "2025-12-03 08:02", "West Elm mid-century bed, full", "$300", "albany / el cerrito", "7801200456", "fuo"),
    ]
    def row(x):
        d, dt, t, pr, hood, pid, cat = x
        slug = "-".join("".join(ch for ch in t.lower() if ch.isalnum() or ch == " ").split()[:5])
        href = f"/eby/{cat}/d/{slug}/{pid}.html"
        img_price = f'<span class="result-price">{pr}</span>' if pr else ""
        meta_price = f'<span class="result-price">{pr}</span>' if pr else ""
        return f'''<li class="result-row" data-pid="{pid}">
  <a href="{href}" class="result-image gallery" data-ids="3:00{pid[-3:]}_kNqV1,3:00{pid[-4:]}_abcd">{img_price}</a>
  <div class="result-info">
    <span class="icon icon-star" role="button"><span class="screen-reader-text">favorite this post</span></span>
    <time class="result-date" datetime="{dt}" title="{dt}">{d}</time>
    <h3 class="result-heading"><a href="{href}" data-id="{pid}" class="result-title hdrlnk" id="postid_{pid}">{E(t)}</a></h3>
    <span class="result-meta">{meta_price}<span class="result-hood"> ({E(hood)})</span>
      <span class="result-tags"><span class="pictag">pic</span></span>
      <span class="banish icon icon-trash" role="button"><span class="screen-reader-text">hide this posting</span></span>
      <span class="unbanish icon icon-trash red" role="button"></span>
      <a href="#" class="restore-link"><span class="restore-narrow-text">restore</span><span class="restore-wide-text">restore this posting</span></a>
    </span>
  </div>
</li>'''
    parts = chunks(L, 8)
    names = ["index.html", "page-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        prev = f'<a href="{names[p-1]}" class="button prev" title="previous page">&lt; prev</a>' if p else '<span class="button prev">&lt; prev</span>'
        nxt = f'<a href="{names[p+1]}" class="button next" title="next page">next &gt; </a>' if p + 1 < len(parts) else '<span class="button next">next &gt; </span>'
        pag = f'<div class="paginator buttongroup firstpage"><span class="buttons">{prev}<span class="button pagenum"><span class="range"><span class="rangeFrom">{p*8+1}</span> - <span class="rangeTo">{p*8+len(xs)}</span></span> / <span class="totalcount">16</span></span>{nxt}</span></div>'
        body = f'''<section class="page-container"><form id="searchform" action="/search/fua" method="GET"><header class="bchead"><div class="contents closed"><div class="breadcrumbs-container"><ul class="breadcrumbs"><li class="crumb area"><a href="/">SF bay area</a> &gt;</li><li class="crumb subarea"><a href="/eby/">east bay</a> &gt;</li><li class="crumb section"><a href="/search/sss">for sale</a> &gt;</li><li class="crumb category"><a href="/search/fua">furniture - by owner</a></li></ul></div>
<div class="userlinks"><ul class="user-actions"><li class="user post"><a href="https://post.craigslist.org/c/sfo">post</a></li><li class="user account"><a href="https://accounts.craigslist.org/login/home">account</a></li></ul></div></div></header>
<div class="search-options-container"><div class="search-options"><input type="text" name="query" placeholder="search furniture"><label><input type="checkbox" name="hasPic" value="1"> has image</label><label><input type="checkbox" name="postedToday"> posted today</label><div class="search-attribute"><label>price</label><input name="min_price" placeholder="min"><input name="max_price" placeholder="max"></div></div></div></form>
<div class="content" id="sortable-results"><div class="search-legend">{pag}<div class="search-sort"><a href="#" class="active">newest</a></div></div>
<ul class="rows" id="search-results">
{chr(10).join(row(x) for x in xs)}
</ul>
<div class="search-legend bottom">{pag}</div></div></section>
<footer><ul class="clfooter"><li>&copy; 2025 <a href="https://www.craigslist.org/about/">craigslist</a></li><li><a href="https://www.craigslist.org/about/help/">help</a></li><li><a href="https://www.craigslist.org/about/scams">safety</a></li></ul></footer>'''
        pages[names[p]] = doc("SF bay area furniture - by owner - craigslist", body)
        for x in xs:
            slug = "-".join("".join(ch for ch in x[2].lower() if ch.isalnum() or ch == " ").split()[:5])
            recs.append({"title": x[2], "price": x[3], "posted_date": [x[0], x[1]], "link": f"{{base}}/eby/{x[6]}/d/{slug}/{x[5]}.html"})
    write("08-classifieds", pages, {"request": "can u get title, price, posted date and link for all the listings on {base}/index.html incl. page 2",
        "start": "index.html", "keys": ["title", "price", "posted_date", "link"], "records": recs})

# ------------------------------------------------------------------ 09 Q&A list (Stack Overflow-like)
@site
def qa():
    Q = [  # id, title, votes, answers, accepted, views, user, rep, tags, when
        ("79251234", "How do I merge two DataFrames on multiple columns with different names?", "12", "3", True, "1k", "alice_m", "1,204", ["python", "pandas", "dataframe"], "2 hours ago"),
        ("79251190", "Why does std::vector::reserve not reduce reallocations in my benchmark?", "4", "1", False, "212", "Jörg Steiner", "8,876", ["c++", "performance", "stdvector"], "3 hours ago"),
        ("79251102", "TypeScript: infer tuple type from a readonly array of objects", "0", "0", False, "37", "devnull42", "311", ["typescript", "type-inference"], "4 hours ago"),
        ("79250987", "Rust borrow checker complains about mutable borrow inside a loop over HashMap", "7", "2", True, "488", "ferris_fan", "2,950", ["rust", "borrow-checker", "hashmap"], "5 hours ago"),
        ("79250851", "PostgreSQL: index not used for LIKE 'abc%' query on text column", "1", "1", False, "96", "Priya S.", "14.2k", ["postgresql", "indexing"], "6 hours ago"),
        ("79250733", "Flexbox item overflows container when text is long", "-2", "1", False, "58", "user23876541", "1", ["css", "flexbox"], "7 hours ago"),
        ("79250612", "How to cancel an in-flight fetch request in React 19 useEffect?", "3", "2", False, "301", "Marco Bellini", "5,612", ["javascript", "reactjs", "fetch-api"], "8 hours ago"),
        ("79250590", "Kubernetes pod stuck in ContainerCreating after node upgrade", "5", "0", False, "144", "ops_kate", "3,077", ["kubernetes", "containerd"], "8 hours ago"),
        ("79250418", "Go generics: constraint for types that support the < operator", "9", "2", True, "702", "gopher_tom", "21.9k", ["go", "generics"], "9 hours ago"),
        ("79250322", "SwiftUI List selection not updating on macOS 15", "2", "0", False, "65", "Hana Kobayashi", "742", ["swift", "swiftui", "macos"], "10 hours ago"),
        ("79250201", "Git: undo a merge that was already pushed to main", "15", "4", True, "2k", "Ben O'Connor", "46.3k", ["git", "git-revert"], "11 hours ago"),
        ("79250088", "Docker build cache invalidated every time although files did not change", "6", "1", False, "410", "lina.dev", "1,889", ["docker", "dockerfile"], "12 hours ago"),
        ("79249975", "Numpy: vectorize a loop that computes pairwise distances", "1", "1", True, "120", "stat_guy", "4,210", ["python", "numpy"], "13 hours ago"),
        ("79249860", "Spring Boot 3 actuator endpoints return 404", "0", "1", False, "88", "Ravi Kulkarni", "967", ["java", "spring-boot"], "14 hours ago"),
        ("79249731", "How to read a large CSV file lazily in Kotlin?", "3", "0", False, "54", "kt_learner", "58", ["kotlin", "csv"], "15 hours ago"),
        ("79249602", "Regex to match balanced parentheses one level deep", "8", "3", True, "1.5k", "Oskar Nilsson", "12.7k", ["regex"], "16 hours ago"),
    ]
    def summ(q):
        i, t, v, a, acc, views, user, rep, tags, when = q
        vu = "vote" if v in ("1", "-1") else "votes"
        au = "answer" if a == "1" else "answers"
        acls = (" has-answers has-accepted-answer" if acc else " has-answers") if a != "0" else ""
        atitle = ' title="one of the answers was accepted as the correct answer"' if acc else ""
        svg = '<svg aria-hidden="true" class="svg-icon iconCheckmarkSm" width="14" height="14" viewBox="0 0 14 14"><path d="M13 3.41 11.59 2 5 8.59 2.41 6 1 7.41l4 4 8-8Z"></path></svg>' if acc else ""
        slug = "-".join("".join(ch for ch in t.lower() if ch.isalnum() or ch == " ").split()[:8])
        th = "".join(f'<li class="d-inline mr4 js-post-tag-list-item"><a href="/questions/tagged/{E(x)}" class="post-tag flex--item mt0 js-tagname-{E(x)}" title="show questions tagged &#39;{E(x)}&#39;" aria-label="show questions tagged &#39;{E(x)}&#39;" rel="tag" aria-labelledby="tag-{E(x)}-tooltip-container">{E(x)}</a></li>' for x in tags)
        uslug = "".join(ch for ch in user.lower() if ch.isalnum())
        return f'''<div id="question-summary-{i}" class="s-post-summary js-post-summary" data-post-id="{i}" data-post-type-id="1">
    <div class="s-post-summary--stats js-post-summary-stats">
        <div class="s-post-summary--stats-item s-post-summary--stats-item__emphasized" title="Score of {v}"><span class="s-post-summary--stats-item-number">{v}</span><span class="s-post-summary--stats-item-unit">{vu}</span></div>
        <div class="s-post-summary--stats-item{acls}"{atitle}>{svg}<span class="s-post-summary--stats-item-number">{a}</span><span class="s-post-summary--stats-item-unit">{au}</span></div>
        <div class="s-post-summary--stats-item" title="{views} views"><span class="s-post-summary--stats-item-number">{views}</span><span class="s-post-summary--stats-item-unit">views</span></div>
    </div>
    <div class="s-post-summary--content">
        <h3 class="s-post-summary--content-title"><a href="/questions/{i}/{slug}" class="s-link">{E(t)}</a></h3>
        <div class="s-post-summary--content-excerpt">I have tried several approaches but none of them work as expected. Here is a minimal example&hellip;</div>
        <div class="s-post-summary--meta"><div class="s-post-summary--meta-tags d-inline-block tags js-tags {' '.join('t-' + x for x in tags)}"><ul class="ml0 list-ls-none js-post-tag-list-wrapper d-inline">{th}</ul></div>
            <div class="s-user-card s-user-card__minimal"><a href="/users/{int(i) % 99991}/{uslug}" class="s-avatar s-avatar__16 s-user-card--avatar"><div class="gravatar-wrapper-16"><img src="/avatars/{uslug}.png" alt="{E(user)}&#39;s user avatar" width="16" height="16" class="s-avatar--image"></div></a>
                <div class="s-user-card--info"><div class="s-user-card--link d-flex gs4"><a href="/users/{int(i) % 99991}/{uslug}" class="flex--item">{E(user)}</a></div>
                <ul class="s-user-card--awards"><li class="s-user-card--rep"><span class="todo-no-class-here" title="reputation score " dir="ltr">{rep}</span></li></ul></div>
                <time class="s-user-card--time">asked <span title="2025-12-07 10:00:00Z" class="relativetime">{when}</span></time></div>
        </div>
    </div>
</div>'''
    parts = chunks(Q, 8)
    names = ["index.html", "page-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        items = "".join((f'<span class="s-pagination--item is-selected" aria-current="page">{k+1}</span>' if k == p else f'<a class="s-pagination--item js-pagination-item" href="{names[k]}" title="Go to page {k+1}">{k+1}</a>') for k in range(2))
        if p + 1 < len(parts):
            items += f'<a class="s-pagination--item js-pagination-item" href="{names[p+1]}" rel="next" title="Go to page {p+2}"> Next</a>'
        if p:
            items = f'<a class="s-pagination--item js-pagination-item" href="{names[p-1]}" rel="prev" title="Go to page {p}"> Prev</a>' + items
        body = f'''<header class="s-topbar ps-fixed t0 l0 js-top-bar"><div class="s-topbar--container"><a href="/" class="s-topbar--logo js-gps-track"><span class="-img _glyph">Stack Overflow</span></a><ol class="s-navigation"><li><a href="/questions" class="s-navigation--item">Questions</a></li><li><a href="/tags" class="s-navigation--item">Tags</a></li></ol></div></header>
<div class="container"><div id="left-sidebar" data-is-here-when="md lg" class="left-sidebar js-pinned-left-sidebar ps-relative"><nav role="navigation"><ol class="nav-links"><li><a href="/" class="pl8 js-gps-track nav-links--link">Home</a></li><li class="youarehere"><a href="/questions" class="nav-links--link">Questions</a></li><li><a href="/tags" class="nav-links--link">Tags</a></li><li><a href="/users" class="nav-links--link">Users</a></li></ol></nav></div>
<div id="content" class="snippet-hidden"><div id="mainbar" role="main" aria-label="question list"><div class="d-flex"><h1 class="flex--item fl1 fs-headline1 mb0">Newest Questions</h1><div class="ml12 aside-cta flex--item print:d-none"><a href="/questions/ask" class="ws-nowrap s-btn s-btn__filled">Ask Question</a></div></div>
<div class="d-flex ai-center jc-space-between fw-wrap mb12"><div class="flex--item fs-body3 mr12">24,180,522 questions</div><div class="d-flex s-btn-group js-filter-btn"><a class="js-sort-preference-change s-btn s-btn__muted s-btn__outlined is-selected" href="?tab=Newest">Newest</a><a class="s-btn s-btn__muted s-btn__outlined" href="?tab=Active">Active</a><a class="s-btn s-btn__muted s-btn__outlined" href="?tab=Unanswered">Unanswered</a></div></div>
<div id="questions" class="flush-left">
{chr(10).join(summ(q) for q in xs)}
</div>
<div class="s-pagination site1 themed pager float-left">{items}</div></div>
<div id="sidebar" class="show-votes" role="complementary" aria-label="sidebar"><div class="s-sidebarwidget s-sidebarwidget__yellow s-anchors s-anchors__grayscale mb16" data-tracker="cb=1"><ul class="d-block p0 m0"><li class="s-sidebarwidget--header s-sidebarwidget__small-bold-text d-flex fc-black-600 d:fc-black-900 bb bbw1">The Overflow Blog</li><li class="s-sidebarwidget--item d-flex px16"><div class="flex--item1 fl-shrink0"><svg class="va-text-top svg-icon iconPencilSm" width="14" height="14"></svg></div><div class="flex--item wmn0 ow-break-word"><a href="https://stackoverflow.blog/2025/12/05/" class="js-gps-track">How we migrated 10 million lines of code</a></div></li></ul></div>
<div id="hot-network-questions" class="module tex2jax_ignore"><h4><a href="https://stackexchange.com/questions?tab=hot" class="js-gps-track s-link s-link__inherit">Hot Network Questions</a></h4><ul><li><div class="favicon favicon-math" title="Mathematics Stack Exchange"></div><a href="https://math.stackexchange.com/questions/5012345/" class="question-hyperlink">Is every continuous bijection from R to R a homeomorphism?</a></li><li><div class="favicon favicon-english" title="English Language &amp; Usage Stack Exchange"></div><a href="https://english.stackexchange.com/questions/623456/" class="question-hyperlink">Is "data" singular or plural in formal writing?</a></li></ul></div></div></div></div>
<footer id="footer" class="site-footer js-footer"><p>Site design / logo &copy; 2025 Stack Exchange Inc; user contributions licensed under CC BY-SA.</p></footer>'''
        pages[names[p]] = doc("Newest Questions - Stack Overflow", body)
        for q in xs:
            recs.append({"question_title": q[1], "number_of_votes": q[2], "number_of_answers": q[3], "user_name": q[6]})
    write("09-qa-list", pages, {"request": "Could you get the question title, number of votes, number of answers and the user name for each question on {base}/index.html? Two pages please.",
        "start": "index.html", "keys": ["question_title", "number_of_votes", "number_of_answers", "user_name"], "records": recs})
# ------------------------------------------------------------------ 10 package registry search (PyPI-like)
@site
def pypi():
    K = [  # name, version, iso, date, description
        ("httpx", "0.28.1", "2024-12-06T15:37:21+0000", "Dec 6, 2024", "The next generation HTTP client."),
        ("requests", "2.32.3", "2024-05-29T15:37:47+0000", "May 29, 2024", "Python HTTP for Humans."),
        ("aiohttp", "3.11.10", "2024-12-05T23:50:15+0000", "Dec 5, 2024", "Async http client/server framework (asyncio)"),
        ("urllib3", "2.2.3", "2024-09-12T10:52:16+0000", "Sep 12, 2024", "HTTP library with thread-safe connection pooling, file post, and more."),
        ("httpcore", "1.0.7", "2024-11-15T12:30:45+0000", "Nov 15, 2024", "A minimal low-level HTTP client."),
        ("http-server-mock", "0.3.0", "2023-02-11T08:14:02+0000", "Feb 11, 2023", ""),
        ("httpretty", "1.1.4", "2021-08-16T19:35:31+0000", "Aug 16, 2021", "HTTP client mock for Python"),
        ("pytest-httpserver", "1.1.0", "2024-08-08T18:44:08+0000", "Aug 8, 2024", "pytest-httpserver is a httpserver for pytest"),
        ("httptools", "0.6.4", "2024-10-16T19:44:18+0000", "Oct 16, 2024", "A collection of framework independent HTTP protocol utils."),
        ("respx", "0.21.1", "2024-03-27T20:41:59+0000", "Mar 27, 2024", "A utility for mocking out the Python HTTPX and HTTP Core libraries."),
        ("http-message-signatures", "0.5.0", "2024-04-12T09:03:11+0000", "Apr 12, 2024", "An implementation of the IETF HTTP Message Signatures draft standard"),
        ("httpie", "3.2.4", "2024-11-01T17:31:51+0000", "Nov 1, 2024", "HTTPie: modern, user-friendly command-line HTTP client for the API era."),
        ("h11", "0.14.0", "2022-09-25T15:40:01+0000", "Sep 25, 2022", "A pure-Python, bring-your-own-I/O implementation of HTTP/1.1"),
        ("treq", "24.9.1", "2024-09-19T14:20:37+0000", "Sep 19, 2024", "High-level Twisted HTTP Client API"),
    ]
    def li(k):
        n, v, iso, d, desc = k
        return f'''<li>
  <a class="package-snippet" href="/project/{n}/">
    <h3 class="package-snippet__title">
      <span class="package-snippet__name">{n}</span>
      <span class="package-snippet__version">{v}</span>
      <span class="package-snippet__created"><time datetime="{iso}" data-controller="localized-time" data-localized-time-relative="true" data-localized-time-show-time="false">
  {d}
</time></span>
    </h3>
    <p class="package-snippet__description">{E(desc)}</p>
  </a>
</li>'''
    parts = chunks(K, 7)
    names = ["search.html", "search-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        prev = f'<a href="{names[p-1]}" class="button button-group__button">Previous</a>' if p else '<span class="button button-group__button button--disabled">Previous</span>'
        nxt = f'<a href="{names[p+1]}" class="button button-group__button">Next</a>' if p + 1 < len(parts) else '<span class="button button-group__button button--disabled">Next</span>'
        nums = "".join((f'<a href="{names[k]}" class="button button-group__button button--primary">{k+1}</a>' if k == p else f'<a href="{names[k]}" class="button button-group__button">{k+1}</a>') for k in range(len(parts)))
        body = f'''<div class="notification-bar notification-bar--warning" role="status"><span class="notification-bar__message">Supply-chain attacks: learn how Trusted Publishing protects your project. <a href="/help/#trusted-publishing">Read more</a></span></div>
<header class="site-header "><div class="site-container"><div class="split-layout"><div><a class="site-header__logo" href="/"><img alt="PyPI" src="/static/images/logo-small.svg"></a></div><nav class="horizontal-menu" aria-label="Main navigation"><ul><li class="horizontal-menu__item"><a href="/help/" class="horizontal-menu__link">Help</a></li><li class="horizontal-menu__item"><a href="/sponsors/" class="horizontal-menu__link">Sponsors</a></li><li class="horizontal-menu__item"><a href="/account/login/" class="horizontal-menu__link">Log in</a></li><li class="horizontal-menu__item"><a href="/account/register/" class="horizontal-menu__link">Register</a></li></ul></nav></div></div></header>
<main id="content"><div class="banner"><form class="search-form search-form--fullwidth" action="/search/" role="search"><input id="search" class="search-form__search" type="text" name="q" placeholder="Search projects" value="http"><button type="submit" class="search-form__button">Search</button></form></div>
<section class="horizontal-section horizontal-section--grey horizontal-section--thin"><div class="left-layout"><div class="left-layout__sidebar"><div class="sidebar-section"><h2 class="sidebar-section__title">Filter by <a href="https://packaging.python.org/specifications/core-metadata/#classifier-multiple-use" title="External link" target="_blank" rel="noopener">classifier</a></h2>
<div class="accordion"><button class="accordion__link" type="button">Framework</button><div class="accordion__content"><div class="checkbox-tree"><ul><li><input id="ef1" type="checkbox"><label class="checkbox-tree__label" for="ef1">AsyncIO</label></li><li><input id="ef2" type="checkbox"><label class="checkbox-tree__label" for="ef2">Django</label></li><li><input id="ef3" type="checkbox"><label class="checkbox-tree__label" for="ef3">Flask</label></li></ul></div></div></div>
<div class="accordion"><button class="accordion__link" type="button">Development Status</button><div class="accordion__content"><ul><li><input id="ds5" type="checkbox"><label for="ds5">5 - Production/Stable</label></li></ul></div></div></div></div>
<div class="left-layout__main"><form><div class="split-layout split-layout--table split-layout--wrap-on-tablet"><div><p><strong>10,000+</strong> projects for "<strong>http</strong>"</p></div><div class="split-layout"><label for="order" class="sr-only">Order by</label><select id="order" class="dropdown-button"><option value="">Relevance</option><option value="-created">Date last updated</option></select></div></div></form>
<ul class="unstyled" aria-label="Search results">
{chr(10).join(li(k) for k in xs)}
</ul>
<div class="button-group button-group--pagination">{prev}{nums}{nxt}</div></div></div></section></main>
<footer class="footer"><div class="footer__logo"><img src="/static/images/white-cube.svg" alt=""></div><div class="footer__menus"><div class="footer__menu"><h2>Help</h2><nav><ul><li><a href="https://packaging.python.org/tutorials/installing-packages/" title="External link">Installing packages</a></li></ul></nav></div></div></footer>'''
        pages[names[p]] = doc("Search results · PyPI", body)
        for k in xs:
            recs.append({"package_name": k[0], "version": k[1], "release_date": [k[3], k[2]], "description": k[4]})
    write("10-package-search", pages, {"request": "Search results on PyPI at {base}/search.html. I'd like the package name, version, release date and description, both pages.",
        "start": "search.html", "keys": ["package_name", "version", "release_date", "description"], "records": recs})

# ------------------------------------------------------------------ 11 video grid (YouTube-like)
@site
def videos():
    V = [  # id, title, channel, handle, views, ago, length, aria-length
        ("dQw4x9WgXcQ", "I Built a Tiny House in 30 Days (Full Build)", "Build With Maya", "buildwithmaya", "2.3M views", "2 weeks ago", "28:14", "28 minutes, 14 seconds"),
        ("k9Jx7vP2aLs", "The Insane Engineering of the James Webb Telescope", "Real Engineering", "RealEngineering", "4.1M views", "1 year ago", "21:07", "21 minutes, 7 seconds"),
        ("u3Fm0QeXw1c", "Why Japan's Trains Are Never Late", "Half as Interesting", "halfasinteresting", "987K views", "3 days ago", "9:42", "9 minutes, 42 seconds"),
        ("Zp8Lr5yTq0M", "Beginner Sourdough: Everything You Need to Know", "Joshua Weissman", "JoshuaWeissman", "1.1M views", "5 months ago", "17:55", "17 minutes, 55 seconds"),
        ("b7Hc2Wn4KdE", "Lo-fi beats to study and relax to 📚", "Lofi Girl", "LofiGirl", "12K views", "Streamed 1 day ago", "3:02:11", "3 hours, 2 minutes, 11 seconds"),
        ("x1Qa9Ts6VbN", "I Tried Every Fast Food French Fry", "Mythical Kitchen", "MythicalKitchen", "3.6M views", "8 months ago", "24:30", "24 minutes, 30 seconds"),
        ("m4Ne8Rj3YpU", "How Does a Transistor Work?", "Veritasium", "veritasium", "8.9M views", "2 years ago", "18:01", "18 minutes, 1 second"),
        ("c2Vt6Hx0LqS", "Restoring a Rusty 1960s Bench Vise", "Hand Tool Rescue", "HandToolRescue", "654K views", "4 weeks ago", "31:48", "31 minutes, 48 seconds"),
        ("e5Gw1Ko7ZmB", "Chess: The Most Beautiful Checkmate Ever Played", "GothamChess", "GothamChess", "1.9M views", "6 days ago", "14:23", "14 minutes, 23 seconds"),
        ("r8Pd3Uy2NcF", "10 Minute Morning Yoga for Beginners", "Yoga With Adriene", "yogawithadriene", "22M views", "5 years ago", "10:16", "10 minutes, 16 seconds"),
        ("t0Sb4Ie9JhW", "The Fall of the Roman Republic, Explained", "Kings and Generals", "KingsandGenerals", "743K views", "3 months ago", "45:09", "45 minutes, 9 seconds"),
        ("w6Yc5Oa1XgR", "Testing Cheap vs Expensive Headphones", "Linus Tech Tips", "LinusTechTips", "2.7M views", "1 month ago", "19:44", "19 minutes, 44 seconds"),
    ]
    def item(v):
        i, t, ch, h, views, ago, ln, aln = v
        return f'''<ytd-rich-item-renderer class="style-scope ytd-rich-grid-renderer" items-per-row="3" lockup="true" rendered-from-rich-grid=""><div id="content" class="style-scope ytd-rich-item-renderer"><ytd-rich-grid-media class="style-scope ytd-rich-item-renderer" lockup="true"><div id="dismissible" class="style-scope ytd-rich-grid-media">
<div id="thumbnail" class="style-scope ytd-rich-grid-media"><ytd-thumbnail rich-grid-thumbnail="" use-hovered-property="" width="9999" class="style-scope ytd-rich-grid-media" size="large" loaded=""><a id="thumbnail" class="yt-simple-endpoint inline-block style-scope ytd-thumbnail" aria-hidden="true" tabindex="-1" rel="null" href="/watch?v={i}"><yt-image alt="" ftl-eligible="" notify-on-loaded="" notify-on-unloaded="" class="style-scope ytd-thumbnail"><img alt="" style="background-color: transparent;" class="yt-core-image yt-core-image--fill-parent-height yt-core-image--fill-parent-width yt-core-image--content-mode-scale-aspect-fill yt-core-image--loaded" src="https://i.ytimg.com/vi/{i}/hqdefault.jpg"></yt-image>
<div id="overlays" class="style-scope ytd-thumbnail"><ytd-thumbnail-overlay-time-status-renderer class="style-scope ytd-thumbnail" hide-time-status="" overlay-style="DEFAULT"><div class="thumbnail-overlay-badge-shape style-scope ytd-thumbnail-overlay-time-status-renderer"><badge-shape class="badge-shape-wiz badge-shape-wiz--thumbnail-default badge-shape-wiz--thumbnail-badge" role="img" aria-label="{aln}"><div class="badge-shape-wiz__text">{ln}</div></badge-shape></div></ytd-thumbnail-overlay-time-status-renderer><ytd-thumbnail-overlay-now-playing-renderer class="style-scope ytd-thumbnail" now-playing-badge=""><span class="style-scope ytd-thumbnail-overlay-now-playing-renderer">Now playing</span></ytd-thumbnail-overlay-now-playing-renderer></div></a></ytd-thumbnail></div>
<div id="details" class="style-scope ytd-rich-grid-media"><a id="avatar-link" class="yt-simple-endpoint style-scope ytd-rich-grid-media" tabindex="-1" title="{E(ch)}" href="/@{h}"><yt-img-shadow id="avatar" width="48" class="style-scope ytd-rich-grid-media no-transition"><img id="img" draggable="false" class="style-scope yt-img-shadow" alt="" width="48" src="https://yt3.ggpht.com/{h}=s68"></yt-img-shadow></a>
<div id="meta" class="style-scope ytd-rich-grid-media"><h3 class="style-scope ytd-rich-grid-media"><ytd-badge-supported-renderer class="top-badge style-scope ytd-rich-grid-media" collection-truncate="" disable-upgrade="" hidden=""></ytd-badge-supported-renderer>
<a id="video-title-link" class="yt-simple-endpoint focus-on-expand style-scope ytd-rich-grid-media" aria-label="{E(t)} by {E(ch)} {views.replace('K', ',000').replace('M', ' million')} {ago} {aln}" title="{E(t)}" href="/watch?v={i}"><yt-formatted-string id="video-title" class="style-scope ytd-rich-grid-media" aria-label="{E(t)} by {E(ch)} {views} {ago} {aln}">{E(t)}</yt-formatted-string></a></h3>
<ytd-video-meta-block class="grid style-scope ytd-rich-grid-media byline-separated" rich-meta="" amsterdam-post-mvp=""><div id="metadata" class="style-scope ytd-video-meta-block"><div id="byline-container" class="style-scope ytd-video-meta-block"><ytd-channel-name id="channel-name" class="long-byline style-scope ytd-video-meta-block" wrap-text="true"><div id="container" class="style-scope ytd-channel-name"><div id="text-container" class="style-scope ytd-channel-name"><yt-formatted-string id="text" link-inherit-color="" respect-lang-dir="" title="{E(ch)}" class="style-scope ytd-channel-name complex-string" ellipsis-truncate="" ellipsis-truncate-styling="" dir="auto" style="text-align: left;" has-link-only_=""><a class="yt-simple-endpoint style-scope yt-formatted-string" spellcheck="false" href="/@{h}" dir="auto">{E(ch)}</a></yt-formatted-string></div><tp-yt-paper-tooltip fit-to-visible-bounds="" offset="10" class="style-scope ytd-channel-name" role="tooltip" tabindex="-1"><div id="tooltip" class="hidden style-scope tp-yt-paper-tooltip">{E(ch)}</div></tp-yt-paper-tooltip></div></ytd-channel-name><div id="separator" class="style-scope ytd-video-meta-block">•</div></div>
<div id="metadata-line" class="style-scope ytd-video-meta-block"><ytd-badge-supported-renderer class="inline-metadata-badge style-scope ytd-video-meta-block" hidden=""></ytd-badge-supported-renderer><div id="separator" class="style-scope ytd-video-meta-block" hidden="">•</div><span class="inline-metadata-item style-scope ytd-video-meta-block">{views}</span><span class="inline-metadata-item style-scope ytd-video-meta-block">{ago}</span><dom-repeat strip-whitespace="" class="style-scope ytd-video-meta-block"><template is="dom-repeat"></template></dom-repeat></div></div></ytd-video-meta-block></div>
<div id="menu" class="style-scope ytd-rich-grid-media"><ytd-menu-renderer class="style-scope ytd-rich-grid-media"><yt-icon-button id="button" class="dropdown-trigger style-scope ytd-menu-renderer"><button id="button" class="style-scope yt-icon-button" aria-label="Action menu"><yt-icon class="style-scope ytd-menu-renderer"></yt-icon></button></yt-icon-button></ytd-menu-renderer></div></div></div></ytd-rich-grid-media></div></ytd-rich-item-renderer>'''
    ad = '''<ytd-rich-item-renderer class="style-scope ytd-rich-grid-renderer" items-per-row="3" is-slim-media=""><div id="content" class="style-scope ytd-rich-item-renderer"><ytd-ad-slot-renderer class="style-scope ytd-rich-item-renderer"><ytd-in-feed-ad-layout-renderer class="style-scope ytd-ad-slot-renderer"><div id="fulfilled-layout"><ytd-display-ad-renderer class="style-scope ytd-in-feed-ad-layout-renderer"><a class="yt-simple-endpoint" href="https://www.googleadservices.com/pagead/aclk?sa=L&amp;ai=abc"><img alt="" src="https://tpc.googlesyndication.com/simgad/123"><div id="title-container"><h3 id="title" class="style-scope ytd-display-ad-renderer">Learn to code in 12 weeks — Enroll today</h3></div><div id="body-text" class="style-scope ytd-display-ad-renderer">Flexible online bootcamp. Job guarantee.</div><div id="ad-badge" class="style-scope ytd-display-ad-renderer"><span class="style-scope ytd-badge-supported-renderer">Sponsored</span></div><div id="website-text" class="style-scope ytd-display-ad-renderer">codecamp.example</div><button class="yt-spec-button-shape-next" aria-label="Visit site">Visit site</button></a></ytd-display-ad-renderer></div></ytd-in-feed-ad-layout-renderer></ytd-ad-slot-renderer></div></ytd-rich-item-renderer>'''
    items = [item(v) for v in V]
    items.insert(1, ad)
    chips = "".join(f'<yt-chip-cloud-chip-renderer class="style-scope yt-chip-cloud-renderer" chip-style="STYLE_DEFAULT" role="tab"><yt-formatted-string id="text" title="" class="style-scope yt-chip-cloud-chip-renderer">{c}</yt-formatted-string></yt-chip-cloud-chip-renderer>' for c in ["All", "Music", "Gaming", "Live", "Cooking", "History", "Recently uploaded", "New to you"])
    body = f'''<ytd-app><div id="content" class="style-scope ytd-app"><div id="masthead-container" class="style-scope ytd-app"><ytd-masthead id="masthead" class="shell chunked" logo-type="YOUTUBE_LOGO"><div id="container" class="style-scope ytd-masthead"><a id="logo" class="yt-simple-endpoint style-scope ytd-topbar-logo-renderer" href="/" title="YouTube Home"><span id="country-code" class="style-scope ytd-topbar-logo-renderer">US</span></a><div id="center" class="style-scope ytd-masthead"><ytd-searchbox id="search" class="style-scope ytd-masthead"><form id="search-form"><input id="search" name="search_query" placeholder="Search"></form></ytd-searchbox></div><div id="end"><a href="https://accounts.google.com/ServiceLogin" aria-label="Sign in">Sign in</a></div></div></ytd-masthead></div>
<tp-yt-app-drawer id="guide" class="style-scope ytd-app"><div id="guide-content"><ytd-guide-renderer><ytd-guide-section-renderer><div id="items"><ytd-guide-entry-renderer><a id="endpoint" href="/" title="Home"><yt-formatted-string class="title">Home</yt-formatted-string></a></ytd-guide-entry-renderer><ytd-guide-entry-renderer><a id="endpoint" href="/shorts/" title="Shorts"><yt-formatted-string class="title">Shorts</yt-formatted-string></a></ytd-guide-entry-renderer><ytd-guide-entry-renderer><a id="endpoint" href="/feed/subscriptions" title="Subscriptions"><yt-formatted-string class="title">Subscriptions</yt-formatted-string></a></ytd-guide-entry-renderer></div></ytd-guide-section-renderer></ytd-guide-renderer></div></tp-yt-app-drawer>
<ytd-page-manager id="page-manager" class="style-scope ytd-app"><ytd-browse class="style-scope ytd-page-manager" page-subtype="home" role="main"><ytd-two-column-browse-results-renderer class="style-scope ytd-browse grid grid-3-columns" page-subtype="home"><div id="primary" class="style-scope ytd-two-column-browse-results-renderer"><ytd-rich-grid-renderer class="style-scope ytd-two-column-browse-results-renderer" is-default-grid="">
<div id="header" class="style-scope ytd-rich-grid-renderer"><ytd-feed-filter-chip-bar-renderer class="style-scope ytd-rich-grid-renderer" component-style="FEED_FILTER_CHIP_BAR_STYLE_TYPE_HOME_PAGE_CHIPS"><div id="chips-wrapper"><iron-selector id="chips" class="style-scope yt-chip-cloud-renderer">{chips}</iron-selector></div></ytd-feed-filter-chip-bar-renderer></div>
<div id="contents" class="style-scope ytd-rich-grid-renderer">
{chr(10).join(items)}
</div></ytd-rich-grid-renderer></div></ytd-two-column-browse-results-renderer></ytd-browse></ytd-page-manager></div></ytd-app>'''
    pages = {"index.html": doc("YouTube", body, body_attrs=' dir="ltr" class="" style="overflow: auto;"')}
    recs = [{"video_title": v[1], "channel": v[2], "views": v[4], "upload_date": v[5], "length": v[6]} for v in V]
    write("11-video-grid", pages, {"request": "Hey, for every video on {base}/index.html I want the video title, channel, views, upload date and length.",
        "start": "index.html", "keys": ["video_title", "channel", "views", "upload_date", "length"], "records": recs})
# ------------------------------------------------------------------ 12 flight results (Google Flights-like)
@site
def flights():
    F = [  # airline, dep, arr, plus, duration, stops, stop_detail, price, best
        ("Delta", "7:05 AM", "10:22 AM", "", "6 hr 17 min", "Nonstop", "", "$289", True),
        ("JetBlue", "8:30 AM", "11:58 AM", "", "6 hr 28 min", "Nonstop", "", "$264", True),
        ("American", "6:00 PM", "9:15 PM", "", "6 hr 15 min", "Nonstop", "", "$312", True),
        ("United", "6:15 AM", "12:04 PM", "", "8 hr 49 min", "1 stop", "1 hr 12 min ORD", "$231", False),
        ("Alaska", "9:45 AM", "1:10 PM", "", "6 hr 25 min", "Nonstop", "", "$298", False),
        ("Spirit", "5:59 AM", "1:47 PM", "", "10 hr 48 min", "1 stop", "2 hr 35 min FLL", "$148", False),
        ("United, Air Canada", "11:20 AM", "6:02 PM", "", "9 hr 42 min", "1 stop", "1 hr 50 min YYZ", "$276", False),
        ("Delta", "3:40 PM", "7:03 PM", "", "6 hr 23 min", "Nonstop", "", "$349", False),
        ("American", "10:10 PM", "6:55 AM", "+1", "11 hr 45 min", "2 stops", "DFW, PHX", "$219", False),
        ("Frontier", "7:15 PM", "12:30 AM", "+1", "8 hr 15 min", "1 stop", "1 hr 5 min DEN", "$139", False),
    ]
    def li(f):
        al, dep, arr, plus, dur, stops, sd, price, best = f
        usd = price.strip("$")
        nstop = "Nonstop flight" if stops == "Nonstop" else f"{stops} flight"
        plus_h = f'<span class="bOzv6" aria-label="Arrives one day later"><sup>{plus}</sup></span>' if plus else ""
        sd_h = f'<div class="BbR8Ec"><div class="sSHqwe tPgKwe ogfYpf"><span aria-label="Layover">{E(sd)}</span></div></div>' if sd else ""
        return f'''<li class="pIav2d"><div class="yR1fYc" jsaction="click:O1htCb;" data-id="{sum(map(ord, dep + al)) * 7919 % 10**8}"><div class="mxvQLc ceis6c uj4xv uVdL1c A8qKrc" aria-label="From {usd} US dollars round trip total. {nstop} with {E(al)}. Leaves John F. Kennedy International Airport at {dep} on Friday, December 18 and arrives at Los Angeles International Airport at {arr}. Total duration {dur}. Select flight" role="link" tabindex="0"></div>
<div class="OgQvJf nKlB3b"><div class="x8klId I11szd"><img class="EbY4Pc P2UYGc" alt="" src="/airlines/{al.split(',')[0].lower()}.png"></div>
<div class="Ir0Voe"><div class="zxVSec YMlIz tPgKwe ogfYpf"><span class="mv1WYe" aria-label="{dep} to {arr}{' the next day' if plus else ''}"><span><span><span aria-label="Departure time: {dep}." role="text">{dep}</span></span></span> – <span><span><span aria-label="Arrival time: {arr}." role="text">{arr}</span></span>{plus_h}</span></span></div>
<div class="sSHqwe tPgKwe ogfYpf"><span>{E(al)}</span></div></div>
<div class="Ak5kof"><div class="gvkrdb AdWm1c tPgKwe ogfYpf" aria-label="Total duration {dur}.">{dur}</div><span class="PTuQse sSHqwe tPgKwe ogfYpf"><div class="QylvBf"><span aria-label="John F. Kennedy International Airport">JFK</span></div>–<div class="QylvBf"><span aria-label="Los Angeles International Airport">LAX</span></div></span></div>
<div class="BbR8Ec"><div class="EfT7Ae AdWm1c tPgKwe"><span class="ogfYpf" aria-label="{nstop}.">{stops}</span></div>{sd_h}</div>
<div class="y0NSEe V1iAHe tPgKwe ogfYpf"><div class="O7CXue"><div class="AdWm1c lc3qH ogfYpf PtgtFe">{(int(dur.split()[0]) * 17 + 96)} kg CO2e</div></div></div>
<div class="U3gSDe"><div class="BVAVmf I11szd POX3ye"><div class="YMlIz FpEdX"><span data-gs="CjRIS2" aria-label="{usd} US dollars" role="text">{price}</span></div><div class="JMnxgf"><span class="kkTKu" aria-label="round trip">round trip</span></div></div></div></div></li>'''
    best = [f for f in F if f[8]]
    other = [f for f in F if not f[8]]
    body = f'''<div class="gb_Ad" role="banner"><a href="/travel/" class="gb_Jd">Travel</a><a href="/travel/explore" class="gb_Jd">Explore</a><a href="/travel/flights" class="gb_Jd" aria-current="page">Flights</a><a href="/travel/hotels" class="gb_Jd">Hotels</a></div>
<div class="PSZ8D EA71Tc" role="main"><div class="cKvRXe"><div class="RLVa8 GeHXyb"><input aria-label="Where from?" value="New York"><input aria-label="Where to?" value="Los Angeles"><input aria-label="Departure" value="Fri, Dec 18"><input aria-label="Return" value="Sun, Dec 27"></div>
<div class="zISZ5c"><button class="VfPpkd-LgbsSe">All filters</button><button>Stops</button><button>Airlines</button><button>Bags</button><button>Price</button><button>Times</button></div></div>
<div class="FXkZv" role="alert"><div class="gOatQ">Prices are currently typical for your search.</div><div class="ogfYpf">The least expensive flights for similar trips usually cost between $180–350.</div></div>
<div class="jMRvmb"><div class="VfPpkd-Sfgh0e" role="switch" aria-checked="false" aria-label="Track prices for Dec 18 – 27">Track prices</div><span>Date grid</span><span>Price graph</span></div>
<div class="zBTtmb ZSxxwc"><h3 class="zBTtmb ZSxxwc">Top departing flights</h3><div class="iwdb6d">Ranked based on price and convenience. Prices include required taxes + fees for 1 adult.</div></div>
<ul class="Rk10dc" role="list">
{chr(10).join(li(f) for f in best)}
</ul>
<div class="zBTtmb ZSxxwc"><h3 class="zBTtmb ZSxxwc">Other departing flights</h3></div>
<ul class="Rk10dc" role="list">
{chr(10).join(li(f) for f in other)}
</ul>
<div class="XsapA"><button class="VfPpkd-LgbsSe" aria-label="View more flights">View more flights</button></div>
<div class="nXX5u"><h3>Popular destinations from New York</h3><ul><li><a href="/travel/flights/new-york-miami">Miami <span>$118</span></a></li><li><a href="/travel/flights/new-york-chicago">Chicago <span>$96</span></a></li></ul></div></div>'''
    pages = {"index.html": doc("New York to Los Angeles | Google Flights", body)}
    recs = [{"airline": f[0], "departure_time": f[1], "arrival_time": f[2], "duration": f[4], "number_of_stops": f[5], "price": f[7]} for f in best + other]
    write("12-flight-results", pages, {
        "request": "Hello! I'm comparing flights. Please list every flight on {base}/index.html with the airline, departure time, arrival time, duration, number of stops and price. Thanks!",
        "start": "index.html", "keys": ["airline", "departure_time", "arrival_time", "duration", "number_of_stops", "price"], "records": recs})

# ------------------------------------------------------------------ 13 library catalogue (Koha OPAC, schema.org microdata)
@site
def library():
    B = [  # biblionumber, title, resp, author, place, publisher, year, callno, available
        ("40211", "The hobbit, or, There and back again", "J.R.R. Tolkien.", "Tolkien, J. R. R.", "Boston :", "Houghton Mifflin Harcourt,", "2012", "FIC TOLKIEN", True),
        ("51877", "Braiding sweetgrass : indigenous wisdom, scientific knowledge and the teachings of plants", "Robin Wall Kimmerer.", "Kimmerer, Robin Wall", "Minneapolis, Minnesota :", "Milkweed Editions,", "2013", "581.6 KIM", True),
        ("60342", "Klara and the sun : a novel", "Kazuo Ishiguro.", "Ishiguro, Kazuo", "New York :", "Alfred A. Knopf,", "2021", "FIC ISHIGURO", False),
        ("38820", "Sapiens : a brief history of humankind", "Yuval Noah Harari.", "Harari, Yuval N.", "New York :", "Harper,", "2015", "909 HAR", True),
        ("62011", "The best American short stories 2022", "edited by Andrew Sean Greer ; Heidi Pitlor, series editor.", "", "Boston :", "Mariner Books,", "2022", "813.01 BES", True),
        ("57703", "Project Hail Mary", "Andy Weir.", "Weir, Andy", "New York :", "Ballantine Books,", "2021", "SF WEIR", False),
        ("44519", "Educated : a memoir", "Tara Westover.", "Westover, Tara", "New York :", "Random House,", "2018", "B WESTOVER", True),
        ("30087", "Thinking, fast and slow", "Daniel Kahneman.", "Kahneman, Daniel", "New York :", "Farrar, Straus and Giroux,", "2011", "153.42 KAH", True),
        ("65120", "Tomorrow, and tomorrow, and tomorrow : a novel", "Gabrielle Zevin.", "Zevin, Gabrielle", "New York :", "Alfred A. Knopf,", "2022", "FIC ZEVIN", False),
        ("29954", "The road", "Cormac McCarthy.", "McCarthy, Cormac", "New York :", "Alfred A. Knopf,", "2006", "FIC MCCARTHY", True),
        ("55231", "Atomic habits : an easy & proven way to build good habits & break bad ones", "James Clear.", "Clear, James", "New York :", "Avery,", "2018", "158.1 CLE", True),
        ("47765", "Circe", "Madeline Miller.", "Miller, Madeline", "New York :", "Little, Brown and Company,", "2018", "FIC MILLER", True),
        ("61408", "Lessons in chemistry : a novel", "Bonnie Garmus.", "Garmus, Bonnie", "New York :", "Doubleday,", "2022", "FIC GARMUS", False),
        ("33590", "Guns, germs, and steel : the fates of human societies", "Jared Diamond.", "Diamond, Jared M.", "New York :", "W.W. Norton & Co.,", "1999", "303.4 DIA", True),
        ("58847", "The midnight library", "Matt Haig.", "Haig, Matt", "New York :", "Viking,", "2020", "FIC HAIG", True),
        ("49902", "Born a crime : stories from a South African childhood", "Trevor Noah.", "Noah, Trevor", "New York :", "Spiegel & Grau,", "2016", "B NOAH", True),
    ]
    def tr(n, b):
        bn, t, resp, au, place, pub, yr, cn, av = b
        au_h = (f'<ul class="author resource_list"><li>by <a href="/cgi-bin/koha/opac-search.pl?q=au:%22{E(au)}%22" class="author">'
                f'<span itemprop="author" itemscope="itemscope" itemtype="http://schema.org/Person"><span itemprop="name">{E(au)}</span></span></a></li></ul>') if au else ""
        avail = (f'<span class="available reallyavailable"><strong>Items available for loan: </strong><span class="ItemSummary"><span class="ItemBranch">Central Library</span> <span class="shelvingloc">[Adult Collection]</span> (1). </span></span>'
                 if av else '<span class="unavailable"><strong>No items available: </strong><span class="ItemSummary">Checked out (1). </span></span>')
        return f'''<tr>
<td class="select selectcol"><input type="checkbox" id="bib{bn}" name="biblionumber" value="{bn}" aria-label="Select search result: {E(t)}"><label for="bib{bn}"></label></td>
<td class="numcol">{n}.</td>
<td class="bookcoverimg"><div class="cover-slider"><div class="cover-image local-coverimg"><a href="/cgi-bin/koha/opac-detail.pl?biblionumber={bn}"><img src="/cgi-bin/koha/opac-image.pl?thumbnail=1&amp;biblionumber={bn}" alt="" title=""></a></div></div></td>
<td class="bibliocol" itemscope="itemscope" itemtype="http://schema.org/Book">
 <div class="title_summary"><a href="/cgi-bin/koha/opac-detail.pl?biblionumber={bn}" class="title"><span itemprop="name">{E(t)}</span> </a> <span class="title_resp_stmt">/ {E(resp)} </span></div>
 {au_h}
 <span class="results_summary type"><span class="label">Material type: </span><img src="/opac-tmpl/lib/famfamfam/BK.png" alt="Text" class="materialtype mt_icon_BK"> Text; <span class="label">Format:</span> print ; <span class="label">Literary form:</span> {'Fiction' if cn.startswith(('FIC', 'SF')) else 'Not fiction'}</span>
 <div class="results_summary publisher"><span class="label">Publication details: </span><span itemprop="publisher" itemscope="itemscope" itemtype="http://schema.org/Organization"><span itemprop="location">{E(place)}</span> <span itemprop="name">{E(pub)}</span></span> <span itemprop="datePublished">{yr}</span></div>
 <div class="results_summary availability"><span class="label">Availability: </span>{avail}<span class="CallNumber">{E(cn)}</span>.</div>
 <div class="actions-menu noprint"><span class="actions"><a class="btn btn-link btn-sm addtocart" href="#"><i class="fa fa-shopping-cart" aria-hidden="true"></i> Add to cart</a></span> <span class="actions"><a class="btn btn-link btn-sm" href="/cgi-bin/koha/opac-reserve.pl?biblionumber={bn}"><i class="fa fa-fw fa-bookmark" aria-hidden="true"></i> Place hold</a></span></div>
</td></tr>'''
    parts = chunks(B, 8)
    names = ["index.html", "page-2.html"]
    pages, recs = {}, []
    facets = "".join(f'<li><a href="/cgi-bin/koha/opac-search.pl?q=au:{E(a)}" title="{E(a)}">{E(a)}</a> <span class="facet-count"> (1)</span></li>' for a in ["Tolkien, J. R. R.", "Ishiguro, Kazuo", "Miller, Madeline", "Weir, Andy", "Zevin, Gabrielle"])
    for p, xs in enumerate(parts):
        lis = []
        lis.append(f'<li class="page-item {"disabled" if p == 0 else ""}"><a class="page-link" href="{names[0]}" aria-label="Go to the first page"><i class="fa fa-fw fa-angle-double-left" aria-hidden="true"></i> First</a></li>')
        if p:
            lis.append(f'<li class="page-item"><a class="page-link" href="{names[p-1]}" aria-label="Go to the previous page"><i class="fa fa-fw fa-angle-left" aria-hidden="true"></i> Previous</a></li>')
        for k in range(2):
            lis.append(f'<li class="page-item active" aria-current="page"><a class="page-link" href="#">{k+1}</a></li>' if k == p else f'<li class="page-item"><a class="page-link" href="{names[k]}" aria-label="Go to page {k+1}">{k+1}</a></li>')
        if p + 1 < len(parts):
            lis.append(f'<li class="page-item"><a class="page-link" href="{names[p+1]}" aria-label="Go to the next page">Next <i class="fa fa-fw fa-angle-right" aria-hidden="true"></i></a></li>')
        nav = f'<nav class="pagination pagination-sm noprint" aria-label="Search results pagination"><ul class="pagination">{"".join(lis)}</ul></nav>'
        body = f'''<div id="wrapper"><div id="header-region" class="noprint"><nav class="navbar navbar-expand"><div id="logo"><a class="navbar-brand" href="/cgi-bin/koha/opac-main.pl">Riverside Public Library</a></div><ul class="navbar-nav"><li class="nav-item"><a href="/cgi-bin/koha/opac-user.pl" class="nav-link login-link">Log in to your account</a></li></ul></nav>
<div class="container-fluid"><div class="row"><div class="col"><div id="opac-main-search" class="mastheadsearch"><form name="searchform" method="get" action="/cgi-bin/koha/opac-search.pl" id="searchform"><select name="idx" id="masthead_search"><option value="">Library catalog</option><option value="ti">Title</option><option value="au">Author</option></select><input type="text" class="transl1 form-control" id="translControl1" name="q" value="bestsellers"><button type="submit" id="searchsubmit" class="btn btn-primary">Go</button></form></div></div></div></div></div>
<div class="main"><nav id="breadcrumbs" aria-label="Breadcrumb" class="breadcrumbs"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/cgi-bin/koha/opac-main.pl">Home</a></li><li class="breadcrumb-item active"><a href="#" aria-current="page">Results of search for 'bestsellers'</a></li></ol></nav>
<div class="container-fluid"><div class="row"><div class="col-lg-2"><div id="facetcontainer"><div id="search-facets"><h2><a href="#" class="menu-collapse-toggle">Refine your search</a></h2><ul class="menu-collapse"><li id="availability_facet">Availability<ul><li><a href="#">Limit to currently available items.</a></li></ul></li><li id="au_id"><h3 id="facet-authors">Authors</h3><ul>{facets}</ul></li></ul></div></div></div>
<div class="col-10 order-first order-md-first order-lg-2"><div id="userresults"><div id="numresults"><strong>Your search returned 16 results.</strong></div>
<div id="toolbar" class="toolbar clearfix"><div class="check_control"><span class="checkall"><a id="CheckAll" class="btn btn-link btn-sm" href="#">Select all</a></span><span class="clearall"><a id="CheckNone" class="btn btn-link btn-sm" href="#">Clear all</a></span></div></div>
{nav}
<div class="searchresults"><form action="/cgi-bin/koha/opac-search.pl" method="get" name="bookbag_form" id="bookbag_form"><table class="table table-striped"><caption class="sr-only">Results of search for 'bestsellers'</caption><tbody>
{chr(10).join(tr(p*8+i+1, b) for i, b in enumerate(xs))}
</tbody></table></form></div>
{nav}
</div></div></div></div></div></div>
<footer id="opaccredits"><p>Powered by <a href="https://koha-community.org">Koha</a></p></footer>'''
        pages[names[p]] = doc("Results of search for 'bestsellers' › Riverside Public Library catalog", body)
        for b in xs:
            recs.append({"title": b[1], "author": b[3], "year": b[6], "call_number": b[7]})
    write("13-library-catalogue", pages, {"request": "I'd like the title, author, year and call number for each book in this catalogue search: {base}/index.html (there are 2 pages)",
        "start": "index.html", "keys": ["title", "author", "year", "call_number"], "records": recs})
# ------------------------------------------------------------------ 14 single news article (OpenGraph + Article JSON-LD)
@site
def article():
    head_t = "Cities Are Quietly Replacing Their Streetlights. Astronomers Are Worried."
    author = "Priya Natarajan"
    iso = "2025-11-30T08:15:00-05:00"
    vis = "Nov. 30, 2025"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": head_t, "description": "LED conversions save money, but their blue-rich light is brightening the night sky faster than expected.",
          "datePublished": iso, "dateModified": "2025-12-01T09:02:00-05:00", "author": [{"@type": "Person", "name": author, "url": "/by/priya-natarajan"}],
          "publisher": {"@type": "Organization", "name": "The Daily Ledger", "logo": {"@type": "ImageObject", "url": "/static/logo.png"}},
          "image": ["/images/2025/11/30/streetlights-1.jpg"], "mainEntityOfPage": "/2025/11/30/science/streetlights-led-astronomy.html"}
    og = (f'<meta property="og:type" content="article"><meta property="og:title" content="{E(head_t)}"><meta property="og:url" content="/2025/11/30/science/streetlights-led-astronomy.html">'
          f'<meta property="og:image" content="/images/2025/11/30/streetlights-1.jpg"><meta property="og:site_name" content="The Daily Ledger"><meta property="article:published_time" content="{iso}">'
          f'<meta property="article:author" content="{author}"><meta property="article:section" content="Science"><meta name="byl" content="By {author}"><meta name="twitter:card" content="summary_large_image">' + jsonld(ld))
    related = [("The Fight to Save the Last Dark-Sky Towns", "Marcus Webb", "Nov. 12, 2025"), ("Why Your Phone Camera Sees Stars You Can't", "Lena Fischer", "Nov. 3, 2025"), ("A Comet Will Be Visible This Week. Here's How to See It.", "Priya Natarajan", "Oct. 28, 2025")]
    rel = "".join(f'<li class="css-1l6a3oz"><a href="/2025/related/{i}.html" class="css-9mylee"><h3 class="css-1k6zqx8 e1hr934v1">{E(t)}</h3><p class="css-1echdzn">By {E(a)}</p><time class="css-1wtb3un">{d}</time></a></li>' for i, (t, a, d) in enumerate(related))
    body = f'''<div id="app"><div class="css-1r7ky0e"><header class="css-ahe4g0 e1m0pzr40"><a href="/" aria-label="The Daily Ledger"><svg class="css-1fjvbe7" viewBox="0 0 184 25"><title>The Daily Ledger</title></svg></a><nav class="css-1c1y0cx"><a href="/section/world">World</a><a href="/section/us">U.S.</a><a href="/section/science" aria-current="page">Science</a><a href="/section/climate">Climate</a></nav><a href="/subscription" class="css-1fzhd9j">Subscribe for $1/week</a></header>
<div class="css-11cnl5i" role="region" aria-label="Advertisement"><div class="ad-wrapper"><p class="css-1gtqfwd">Advertisement</p><div id="top-wrapper" data-ad-unit="top"></div><a href="#after-top">SKIP ADVERTISEMENT</a></div></div>
<main id="site-content"><article id="story" class="meteredContent css-1vxca1d"><header class="css-1vkm6nb ehdk2mb0"><div class="css-1fxrkbk"><p class="css-1p3qfsu"><a href="/section/science">Science</a></p></div>
<h1 id="link-4686dc8b" class="css-88wicj e1h9rw200" data-testid="headline">{E(head_t)}</h1>
<p id="article-summary" class="css-79rysd e1wiw3jv0">LED conversions save money, but their blue-rich light is brightening the night sky faster than expected.</p>
<figure class="css-1vkm6nb"><img alt="A street lit by LED lamps at night" class="css-rq4mmj" src="/images/2025/11/30/streetlights-1.jpg"><figcaption class="css-jevhma"><span class="css-cnj6d5">New LED streetlights in Tucson, Ariz., one of the few cities that chose warmer bulbs.</span><span class="css-1ly73wi">Credit...</span><span>Rebecca Noble for The Daily Ledger</span></figcaption></figure>
<div class="css-1x1jxeu"><div class="css-233int"><div class="css-ld0dh2 e1jsehar1"><div class="css-1baulvz last-byline"><p class="css-aknsld e1jsehar1" data-testid="byline"><span class="css-1baulvz">By <a href="/by/priya-natarajan" class="css-n8ff4n e1jsehar0"><span class="css-1baulvz last-byline" itemprop="name">{author}</span></a></span></p></div></div>
<div class="css-1g2q7ep"><ul class="css-1hfj7gb"><li><time class="css-1fe2swp e16638kd0" datetime="{iso}"><span class="css-1sbuyqj">Published</span> <span class="css-x7rtpa">{vis}</span></time></li><li><time class="css-1wtb3un e16638kd2" datetime="2025-12-01T09:02:00-05:00"><span>Updated </span><span class="css-x7rtpa">Dec. 1, 2025, 9:02 a.m. ET</span></time></li></ul></div></div></div></header>
<section name="articleBody" class="meteredContent css-1r7ky0e"><div class="css-53u6y8"><div class="css-s99gbd StoryBodyCompanionColumn"><div class="css-1x16ddo">
<p class="css-at9mc1 evys1bk0">When Tucson replaced its 19,000 sodium streetlights with LEDs, the city saved nearly $2 million a year in electricity. It also did something unusual: it asked the astronomers first.</p>
<p class="css-at9mc1 evys1bk0">Most cities don't. A study published this month found that the night sky over Europe and North America is brightening by roughly 10 percent a year.</p>
</div></div></div></section></article>
<aside class="css-1k9ek97" aria-label="Related coverage"><h2 class="css-1v9nsrz">More on Astronomy</h2><ul class="css-1hnb7tl">{rel}</ul></aside>
<aside class="css-bpnuty" aria-label="Most popular"><h2>Most Popular</h2><ol><li><a href="/2025/12/06/us/weather-storm.html">Winter Storm Brings Snow to the Northeast</a></li><li><a href="/2025/12/05/well/eat/holiday-cookies.html">The 12 Best Holiday Cookies</a></li></ol></aside>
</main><footer class="css-1kjde6b"><p>© 2025 The Daily Ledger Company</p></footer></div></div>'''
    pages = {"index.html": doc(head_t + " - The Daily Ledger", body, head=og)}
    recs = [{"headline": head_t, "author": author, "publish_date": [vis, iso, "2025-11-30", "Published Nov. 30, 2025"]}]
    write("14-news-article", pages, {"request": "From {base}/index.html get the headline, author and publish date",
        "start": "index.html", "keys": ["headline", "author", "publish_date"], "records": recs})

# ------------------------------------------------------------------ 15 JSON-LD ItemList, visible cards without useful classes
@site
def itemlist():
    M = [  # id, title, year, runtime, cert, rating, votes, genre
        ("tt0111161", "The Shawshank Redemption", "1994", "2h 22m", "R", "9.3", "3M", "Drama"),
        ("tt0068646", "The Godfather", "1972", "2h 55m", "R", "9.2", "2.1M", "Crime, Drama"),
        ("tt0468569", "The Dark Knight", "2008", "2h 32m", "PG-13", "9.0", "2.9M", "Action, Crime, Drama"),
        ("tt0071562", "The Godfather Part II", "1974", "3h 22m", "R", "9.0", "1.4M", "Crime, Drama"),
        ("tt0050083", "12 Angry Men", "1957", "1h 36m", "Approved", "9.0", "912K", "Crime, Drama"),
        ("tt0108052", "Schindler's List", "1993", "3h 15m", "R", "9.0", "1.5M", "Biography, Drama, History"),
        ("tt0167260", "The Lord of the Rings: The Return of the King", "2003", "3h 21m", "PG-13", "9.0", "2M", "Action, Adventure, Drama"),
        ("tt0110912", "Pulp Fiction", "1994", "2h 34m", "R", "8.9", "2.3M", "Crime, Drama"),
        ("tt0120737", "The Lord of the Rings: The Fellowship of the Ring", "2001", "2h 58m", "PG-13", "8.9", "2.1M", "Action, Adventure, Drama"),
        ("tt0060196", "The Good, the Bad and the Ugly", "1966", "2h 58m", "Approved", "8.8", "837K", "Adventure, Western"),
        ("tt0109830", "Forrest Gump", "1994", "2h 22m", "PG-13", "8.8", "2.3M", "Drama, Romance"),
        ("tt0137523", "Fight Club", "1999", "2h 19m", "R", "8.8", "2.4M", "Drama"),
    ]
    ld = {"@context": "https://schema.org", "@type": "ItemList", "name": "Top 250 Movies", "itemListElement": [
        {"@type": "ListItem", "position": i + 1, "item": {"@type": "Movie", "url": f"/title/{m[0]}/", "name": m[1], "image": f"/posters/{m[0]}.jpg",
         "aggregateRating": {"@type": "AggregateRating", "bestRating": 10, "worstRating": 1, "ratingValue": float(m[5]), "ratingCount": 1000000 - i},
         "contentRating": m[4], "genre": m[7], "duration": "PT" + m[3].replace("h ", "H").replace("m", "M").upper()}} for i, m in enumerate(M)]}
    cards = []
    for i, m in enumerate(M, 1):
        cards.append(f'''<li class="sc-2a3c6f29-0 dEtXgR"><div class="sc-2a3c6f29-1 kjNMkx"><div class="sc-2a3c6f29-2"><div class="sc-e5a25b0f-0 hRtQgY"><a href="/title/{m[0]}/?ref_=chttp_i_{i}" aria-label="View title page for {E(m[1])}"><img alt="{E(m[1])}" src="/posters/{m[0]}.jpg" loading="lazy"></a><div class="sc-e5a25b0f-1" aria-label="add to watchlist" role="button">+</div></div></div>
<div class="sc-2a3c6f29-3 fhdLIo"><div class="sc-2a3c6f29-4"><a href="/title/{m[0]}/?ref_=chttp_t_{i}" class="sc-2a3c6f29-5 lmXsjV"><h3 class="sc-2a3c6f29-6 bZbSjD">{i}. {E(m[1])}</h3></a></div>
<div class="sc-2a3c6f29-7 cKZUqb"><span class="sc-2a3c6f29-8 jNahBd">{m[2]}</span><span class="sc-2a3c6f29-8 jNahBd">{m[3]}</span><span class="sc-2a3c6f29-8 jNahBd">{m[4]}</span></div>
<span class="sc-2a3c6f29-9"><div class="sc-4dc495c1-0 fUqjJu" data-testid="ratingGroup--container"><span aria-label="IMDb rating: {m[5]}" class="sc-4dc495c1-1 lbQcRY" data-testid="ratingGroup--imdb-rating"><svg width="24" height="24" class="ipc-icon ipc-icon--star-inline" viewBox="0 0 24 24" role="presentation"><path d="M12 20.1l5.82 3.682"></path></svg>{m[5]}<span class="sc-4dc495c1-2">&nbsp;({m[6]})</span></span><button class="sc-4dc495c1-3" aria-label="Rate {E(m[1])}">Rate</button></div></span></div>
<div class="sc-2a3c6f29-10"><button aria-label="See more information about {E(m[1])}" title="See more information about {E(m[1])}" class="sc-2a3c6f29-11">i</button></div></div></li>''')
    body = f'''<nav id="imdbHeader" class="sc-1b3b9fd0-0"><a href="/" aria-label="Home">IMDb</a><label>Menu</label><input type="text" placeholder="Search IMDb"><a href="/registration/signin">Sign In</a></nav>
<main role="main"><div class="sc-7a9b1c5e-0"><section class="sc-7a9b1c5e-1"><div class="sc-7a9b1c5e-2"><div><h1 class="sc-7a9b1c5e-3">IMDb Top 250 Movies</h1><div class="sc-7a9b1c5e-4">As rated by regular IMDb voters.</div></div></div>
<div class="sc-7a9b1c5e-5"><span>12 Titles</span><div><label for="sort-by-selector">Sort by</label><select id="sort-by-selector"><option>Ranking</option><option>IMDb rating</option><option>Release date</option></select></div></div>
<ul class="sc-2a3c6f29-12 cGJvCz" role="presentation">
{chr(10).join(cards)}
</ul></section>
<section class="sc-7a9b1c5e-6"><h3>More to explore</h3><div><a href="/chart/moviemeter/">Most popular movies</a><a href="/chart/toptv/">Top 250 TV shows</a></div></section></div></main>'''
    pages = {"index.html": doc("IMDb Top 250 Movies", body, head=jsonld(ld))}
    recs = [{"title": [m[1], f"{i}. {m[1]}"], "rating": [m[5], f"IMDb rating: {m[5]}"], "genre": m[7],
             "url": ["{base}/title/" + m[0] + "/", "{base}/title/" + m[0] + f"/?ref_=chttp_t_{i}", "{base}/title/" + m[0] + f"/?ref_=chttp_i_{i}"]}
            for i, m in enumerate(M, 1)]
    write("15-jsonld-itemlist", pages, {"request": "Scrape the title, rating, genre and URL for every movie listed on {base}/index.html",
        "start": "index.html", "keys": ["title", "rating", "genre", "url"], "records": recs})
# ------------------------------------------------------------------ 16 product page with RDFa (outdoor retailer)
@site
def rdfa():
    name = "Osprey Atmos AG 65 Pack - Men's"
    sim = [("Gregory Baltoro 65 Pack - Men's", "$339.95", "4.5"), ("REI Co-op Flash 55 Pack - Men's", "$199.00", "4.4"), ("Deuter Aircontact Core 60+10 Pack", "$259.95", "4.7"), ("Osprey Aether 65 Pack - Men's", "$320.00", "4.6")]
    simh = "".join(f'<li class="product-carousel__item" vocab="https://schema.org/" typeof="Product"><a href="/product/{200000+i}" class="VcGDfKKy"><img alt="" src="/media/{200000+i}.jpg"><h3 class="_1ucmGKyQ" property="name">{E(n)}</h3><div class="_2pLzE3NE"><span class="rating" aria-label="{r} out of 5 stars">{r}</span></div><span class="price-value" property="offers" typeof="Offer"><span property="price" content="{p.strip("$")}">{p}</span><meta property="priceCurrency" content="USD"></span></a></li>' for i, (n, p, r) in enumerate(sim))
    body = f'''<div id="app"><header class="site-header"><a class="site-header__logo" href="/">Summit Outfitters</a><nav><a href="/c/camping-and-hiking">Camp &amp; Hike</a><a href="/c/climbing">Climb</a><a href="/c/cycling">Cycle</a><a href="/c/sale">Sale</a></nav><a href="/cart" aria-label="Cart, 0 items">Cart</a></header>
<div class="promo-banner" role="region"><p>Members get 10% back on eligible purchases. <a href="/membership">Join now</a></p></div>
<nav aria-label="Breadcrumbs" class="breadcrumbs"><ol vocab="https://schema.org/" typeof="BreadcrumbList"><li property="itemListElement" typeof="ListItem"><a property="item" typeof="WebPage" href="/c/camping-and-hiking"><span property="name">Camping and Hiking</span></a><meta property="position" content="1"></li><li property="itemListElement" typeof="ListItem"><a property="item" typeof="WebPage" href="/c/backpacks"><span property="name">Backpacks</span></a><meta property="position" content="2"></li></ol></nav>
<main id="product-page" vocab="https://schema.org/" typeof="Product" resource="#product">
<div class="product-layout"><div class="media-center"><img property="image" src="/media/atmos-ag-65.jpg" alt="{E(name)}"><ul class="thumbs"><li><img src="/media/atmos-ag-65-2.jpg" alt=""></li><li><img src="/media/atmos-ag-65-3.jpg" alt=""></li></ul></div>
<div class="buy-box"><div class="product-brand"><a property="brand" typeof="Brand" href="/b/osprey" class="product-brand__link"><span property="name">Osprey</span></a></div>
<h1 id="product-page-title" property="name" class="product-title">{E(name)}</h1>
<div class="product-rating" property="aggregateRating" typeof="AggregateRating"><a href="#reviews" class="rating-link"><span class="stars" aria-hidden="true">★★★★★</span><span class="rating-number" property="ratingValue">4.6</span><span class="sr-only"> out of <span property="bestRating">5</span> stars.</span> <span class="review-count">(<span property="reviewCount">1,284</span> reviews)</span></a></div>
<div class="product-item-number">Item #<span property="sku">2197020003</span></div>
<div class="price-block" property="offers" typeof="Offer"><meta property="priceCurrency" content="USD"><meta property="url" content="/product/219702/osprey-atmos-ag-65-pack-mens">
<span class="price-value price-value--sale" property="price" content="271.93">$271.93</span> <span class="price-value price-value--compare"><span class="sr-only">Compare at</span><del>$339.95</del></span> <span class="price-badge">Save 20%</span>
<link property="availability" href="https://schema.org/InStock"><p class="stock-status">In stock — ships in 1–2 business days</p></div>
<fieldset class="size-picker"><legend>Size: <span>Medium</span></legend><button>Small</button><button aria-pressed="true">Medium</button><button>Large</button></fieldset>
<fieldset class="color-picker"><legend>Color: <span>Venturi Blue</span></legend></fieldset>
<button class="add-to-cart">Add to cart</button></div></div>
<section class="product-details"><h2>Technical Specs</h2><table class="tech-specs"><tbody><tr><th scope="row">Best Use</th><td>Backpacking</td></tr><tr><th scope="row">Gender</th><td>Men's</td></tr><tr><th scope="row">Capacity (L)</th><td>65</td></tr><tr><th scope="row">Weight</th><td>4 lbs. 9 oz.</td></tr><tr><th scope="row">Frame Material</th><td>Aluminum</td></tr></tbody></table>
<div property="description"><p>An award-winning Anti-Gravity suspension that carries loads comfortably over long distances.</p></div></section>
</main>
<section class="product-carousel" aria-label="Compare similar items"><h2>Compare similar items</h2><ul class="product-carousel__list">{simh}</ul></section>
<footer class="site-footer"><p>© 2025 Summit Outfitters</p></footer></div>'''
    og = f'<meta property="og:type" content="product"><meta property="og:title" content="{E(name)}"><meta property="og:image" content="/media/atmos-ag-65.jpg"><meta property="product:price:amount" content="271.93"><meta property="product:price:currency" content="USD">'
    pages = {"index.html": doc(f"{name} | Summit Outfitters", body, head=og)}
    recs = [{"product_name": name, "brand": "Osprey", "price": ["$271.93", "271.93"], "rating": "4.6", "sku": ["2197020003", "Item #2197020003"]}]
    write("16-product-rdfa", pages, {"request": "Get the product name, brand, price, rating and SKU from {base}/index.html",
        "start": "index.html", "keys": ["product_name", "brand", "price", "rating", "sku"], "records": recs})

# ------------------------------------------------------------------ 17 wiki table with rowspans
@site
def wikitable():
    # rank, name, (city), (country), height, floors, year ; None = covered by a rowspan above
    R = [
        ("1", "Burj Khalifa", ("Dubai", 1), ("United Arab Emirates", 1), ("828", 1), "163", ("2010", 1)),
        ("2", "Merdeka 118", ("Kuala Lumpur", 1), ("Malaysia", 1), ("678.9", 1), "118", ("2023", 1)),
        ("3", "Shanghai Tower", ("Shanghai", 1), ("China", 1), ("632", 1), "128", ("2015", 1)),
        ("4", "Abraj Al-Bait Clock Tower", ("Mecca", 1), ("Saudi Arabia", 1), ("601", 1), "120", ("2012", 1)),
        ("5", "Ping An International Finance Centre", ("Shenzhen", 1), ("China", 1), ("599.1", 1), "115", ("2017", 2)),
        ("6", "Lotte World Tower", ("Seoul", 1), ("South Korea", 1), ("554.5", 1), "123", None),
        ("7", "One World Trade Center", ("New York City", 1), ("United States", 1), ("541.3", 1), "94", ("2014", 1)),
        ("8", "Guangzhou CTF Finance Centre", ("Guangzhou", 1), ("China", 3), ("530", 2), "111", ("2016", 1)),
        ("8", "Tianjin CTF Finance Centre", ("Tianjin", 1), None, None, "97", ("2019", 1)),
        ("10", "China Zun", ("Beijing", 1), None, ("527.7", 1), "109", ("2018", 1)),
        ("11", "Taipei 101", ("Taipei", 1), ("Taiwan", 1), ("508", 1), "101", ("2004", 1)),
        ("12", "Shanghai World Financial Center", ("Shanghai", 1), ("China", 1), ("492", 1), "101", ("2008", 1)),
        ("13", "International Commerce Centre", ("Hong Kong", 1), ("China", 1), ("484", 1), "108", ("2010", 1)),
        ("14", "Wuhan Greenland Center", ("Wuhan", 1), ("China", 1), ("475.6", 1), "97", ("2023", 1)),
        ("15", "Central Park Tower", ("New York City", 1), ("United States", 1), ("472.4", 1), "98", ("2020", 1)),
    ]
    flags = {"United Arab Emirates": "ae", "Malaysia": "my", "China": "cn", "Saudi Arabia": "sa", "South Korea": "kr", "United States": "us", "Taiwan": "tw"}
    rows, recs = [], []
    last = {}
    ref = 1
    for r in R:
        rank, name, city, country, height, floors, year = r
        cells = [f'<td>{rank}</td>']
        cells.append(f'<td><a href="/wiki/{name.replace(" ", "_")}" title="{E(name)}">{E(name)}</a><sup id="cite_ref-{ref}" class="reference"><a href="#cite_note-{ref}"><span class="cite-bracket">[</span>{ref}<span class="cite-bracket">]</span></a></sup></td>')
        ref += 1
        def span(v, fmt):
            if v is None:
                return None
            val, n = v
            rs = f' rowspan="{n}"' if n > 1 else ""
            return fmt(val, rs)
        c = span(city, lambda v, rs: f'<td{rs}><a href="/wiki/{v.replace(" ", "_")}" title="{E(v)}">{E(v)}</a></td>')
        if c: cells.append(c); last["city"] = city[0]
        c = span(country, lambda v, rs: f'<td{rs}><span class="flagicon"><span class="mw-image-border" typeof="mw:File"><span><img alt="" src="//upload.wikimedia.org/wikipedia/commons/thumb/flag_{flags[v]}.svg/23px-flag.png" decoding="async" width="23" height="15" class="mw-file-element"></span></span>&nbsp;</span><a href="/wiki/{v.replace(" ", "_")}" title="{E(v)}">{E(v)}</a></td>')
        if c: cells.append(c); last["country"] = country[0]
        c = span(height, lambda v, rs: f'<td{rs} style="text-align:right">{v}</td><td{rs} style="text-align:right">{round(float(v) * 3.28084):,}</td>')
        if c: cells.append(c); last["height"] = height[0]
        cells.append(f'<td style="text-align:right">{floors}</td>')
        c = span(year, lambda v, rs: f'<td{rs}>{v}</td>')
        if c: cells.append(c); last["year"] = year[0]
        rows.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
        recs.append({"rank": rank, "name": name, "city": last["city"], "country": last["country"], "height": last["height"], "year": last["year"]})
    # column order in the header: Rank, Name, City, Country, Height m, Height ft, Floors, Year
    # (cells above are emitted in that order too)
    table = f'''<table class="wikitable sortable jquery-tablesorter" style="text-align:left">
<caption>Buildings taller than 470 m (1,542 ft)</caption>
<thead><tr><th rowspan="2">Rank</th><th rowspan="2">Name</th><th rowspan="2">City</th><th rowspan="2">Country</th><th colspan="2">Height<sup id="cite_ref-ctbuh" class="reference"><a href="#cite_note-ctbuh">[a]</a></sup></th><th rowspan="2">Floors</th><th rowspan="2">Year</th></tr>
<tr><th>m</th><th>ft</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>'''
    # fix the cell order: city/country were appended before height; floors after height; matches the header
    infobox = '''<table class="infobox"><tbody><tr><th colspan="2" class="infobox-above">Tallest buildings</th></tr><tr><th scope="row" class="infobox-label">Tallest</th><td class="infobox-data">Burj Khalifa (828 m)</td></tr><tr><th scope="row" class="infobox-label">Since</th><td class="infobox-data">2010</td></tr><tr><th scope="row" class="infobox-label">Country with most</th><td class="infobox-data">China</td></tr></tbody></table>'''
    timeline = '''<h2 id="Timeline"><span class="mw-headline">Timeline of tallest buildings</span></h2><table class="wikitable"><thead><tr><th>Years tallest</th><th>Name</th><th>City</th><th>Height (m)</th></tr></thead><tbody><tr><td>1998–2004</td><td><a href="/wiki/Petronas_Towers">Petronas Towers</a></td><td>Kuala Lumpur</td><td>451.9</td></tr><tr><td>2004–2010</td><td><a href="/wiki/Taipei_101">Taipei 101</a></td><td>Taipei</td><td>508</td></tr><tr><td>2010–present</td><td><a href="/wiki/Burj_Khalifa">Burj Khalifa</a></td><td>Dubai</td><td>828</td></tr></tbody></table>'''
    notes = "".join(f'<li id="cite_note-{i}"><span class="mw-cite-backlink"><a href="#cite_ref-{i}">^</a></span> <span class="reference-text">"{E(r[1])}". CTBUH Skyscraper Center.</span></li>' for i, r in enumerate(R, 1))
    body = f'''<div class="vector-header-container"><header class="vector-header mw-header"><a href="/wiki/Main_Page" class="mw-logo">Wikipedia The Free Encyclopedia</a><div id="p-search"><form action="/w/index.php" id="searchform"><input type="search" name="search" placeholder="Search Wikipedia"></form></div></header></div>
<div class="mw-page-container"><div class="mw-page-container-inner"><div class="vector-main-menu-container"><nav id="mw-panel-toc" aria-label="Contents" class="vector-toc-landmark"><div id="vector-toc" class="vector-toc"><ul class="vector-toc-contents"><li class="vector-toc-list-item"><a class="vector-toc-link" href="#Tallest_buildings"><div class="vector-toc-text">Tallest buildings</div></a></li><li class="vector-toc-list-item"><a class="vector-toc-link" href="#Timeline"><div class="vector-toc-text">Timeline</div></a></li><li class="vector-toc-list-item"><a class="vector-toc-link" href="#References"><div class="vector-toc-text">References</div></a></li></ul></div></nav></div>
<main id="content" class="mw-body" role="main"><header class="mw-body-header vector-page-titlebar"><h1 id="firstHeading" class="firstHeading mw-first-heading"><span class="mw-page-title-main">List of tallest buildings</span></h1></header>
<div id="bodyContent" class="vector-body"><div id="siteSub" class="noprint">From Wikipedia, the free encyclopedia</div>
<div id="mw-content-text" class="mw-body-content"><div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">
<div class="hatnote navigation-not-searchable" role="note">For a list of tallest structures, see <a href="/wiki/List_of_tallest_structures">List of tallest structures</a>.</div>
{infobox}
<p>This list ranks completed buildings that stand at least 470&nbsp;m (1,542&nbsp;ft) tall, based on standard height measurement, which includes spires and architectural details but does not include antenna masts.</p>
<h2 id="Tallest_buildings"><span class="mw-headline">Tallest buildings</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=List_of_tallest_buildings&amp;action=edit&amp;section=1">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
{table}
{timeline}
<h2 id="References"><span class="mw-headline">References</span></h2><div class="reflist"><ol class="references">{notes}</ol></div>
<div role="navigation" class="navbox" aria-labelledby="Skyscrapers"><table class="nowraplinks navbox-inner"><tbody><tr><th scope="col" class="navbox-title" colspan="2"><div id="Skyscrapers">Skyscrapers</div></th></tr><tr><th scope="row" class="navbox-group">Lists</th><td class="navbox-list"><div><ul><li><a href="/wiki/List_of_tallest_buildings_in_Asia">Asia</a></li><li><a href="/wiki/List_of_tallest_buildings_in_Europe">Europe</a></li></ul></div></td></tr></tbody></table></div>
</div></div></div></main></div></div>'''
    pages = {"index.html": doc("List of tallest buildings - Wikipedia", body, body_attrs=' class="skin-vector skin-vector-2022 mediawiki ltr"')}
    write("17-wiki-rowspan", pages, {"request": "From the wiki table at {base}/index.html give me the rank, name, city, country, height and year for each building",
        "start": "index.html", "keys": ["rank", "name", "city", "country", "height", "year"], "records": recs})
# ------------------------------------------------------------------ 18 records as definition lists (open-data catalogue)
@site
def dlists():
    D = [  # slug, title, publisher, updated, format, licence, summary, swap order
        ("road-traffic-accidents", "Road traffic accidents 2024", "Department for Transport", "3 December 2025", "CSV", "Open Government Licence v3.0", "Reported personal-injury road collisions in Great Britain, by severity and vehicle type.", False),
        ("air-quality-monitoring", "Air quality monitoring stations", "Environment Agency", "28 November 2025", "GeoJSON", "Open Government Licence v3.0", "Locations and pollutant readings of automatic monitoring sites.", False),
        ("school-census", "School census: pupil numbers by local authority", "Department for Education", "21 November 2025", "XLSX", "Open Government Licence v3.0", "Headcount of pupils in state-funded schools.", True),
        ("bus-stop-locations", "Bus stop locations (NaPTAN)", "Department for Transport", "20 November 2025", "XML", "Open Government Licence v3.0", "National Public Transport Access Nodes.", False),
        ("planning-applications", "Planning applications received", "Bristol City Council", "14 November 2025", "CSV", "", "Applications received by the local planning authority since 2015.", False),
        ("flood-risk-areas", "Flood risk areas", "Environment Agency", "7 November 2025", "Shapefile", "Open Government Licence v3.0", "Areas where the risk of flooding is significant.", False),
        ("nhs-waiting-times", "NHS referral to treatment waiting times", "NHS England", "31 October 2025", "CSV", "Open Government Licence v3.0", "Monthly waiting times for consultant-led elective care.", True),
        ("tree-inventory", "Street tree inventory", "Camden Council", "24 October 2025", "JSON", "Creative Commons Attribution 4.0", "Species, height and location of council-maintained trees.", False),
        ("electric-vehicle-chargers", "Electric vehicle charge points", "Office for Zero Emission Vehicles", "17 October 2025", "CSV", "Open Government Licence v3.0", "Public charge points registered on the National Chargepoint Registry.", False),
        ("house-price-index", "UK House Price Index", "HM Land Registry", "15 October 2025", "CSV", "Open Government Licence v3.0", "Monthly changes in the value of residential properties.", False),
    ]
    arts, recs = [], []
    for slug, t, pub, upd, fmt, lic, summ, swap in D:
        pairs = [("Published by", f'<a href="/publisher/{pub.lower().replace(" ", "-")}" class="govuk-link">{E(pub)}</a>'), ("Last updated", f'<time datetime="2025">{upd}</time>'), ("Format", f'<span class="format-tag">{fmt}</span>')]
        if lic:
            pairs.append(("Licence", E(lic)))
        if swap:
            pairs = [pairs[1], pairs[2], pairs[0]] + pairs[3:]
        dl = "".join(f'<div class="dgu-metadata__row"><dt class="dgu-metadata__key">{k}:</dt><dd class="dgu-metadata__value">{v}</dd></div>' for k, v in pairs)
        arts.append(f'''<div class="dgu-results__result"><h2 class="govuk-heading-m"><a href="/dataset/{slug}" class="govuk-link">{E(t)}</a></h2>
<dl class="dgu-metadata__box">{dl}</dl>
<p class="govuk-body">{E(summ)}</p></div>''')
        recs.append({"title": t, "publisher": pub, "last_updated": upd, "format": fmt, "licence": lic})
    body = f'''<header class="govuk-header" role="banner"><div class="govuk-header__container govuk-width-container"><a href="/" class="govuk-header__link govuk-header__link--homepage"><span class="govuk-header__logotype-text">GOV.UK</span></a><a href="/" class="govuk-header__link govuk-header__service-name">Find open data</a></div></header>
<div class="govuk-width-container"><div class="govuk-phase-banner"><p class="govuk-phase-banner__content"><strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong><span class="govuk-phase-banner__text">This is a new service – your <a class="govuk-link" href="/feedback">feedback</a> will help us to improve it.</span></p></div>
<main class="govuk-main-wrapper" id="main-content" role="main"><h1 class="govuk-heading-xl">Search results</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-one-third"><form class="dgu-filters"><h2 class="govuk-heading-s">Filter by</h2><div class="govuk-form-group"><label class="govuk-label" for="publisher">Publisher</label><select class="govuk-select" id="publisher"><option>All</option><option>Department for Transport</option><option>Environment Agency</option></select></div><div class="govuk-form-group"><label class="govuk-label" for="format">Format</label><select class="govuk-select" id="format"><option>All</option><option>CSV</option></select></div></form></div>
<div class="govuk-grid-column-two-thirds"><dl class="dgu-results__summary"><div><dt>Showing:</dt><dd>10 datasets</dd></div><div><dt>Sorted by:</dt><dd>Most recent</dd></div></dl>
<div class="dgu-results">
{chr(10).join(arts)}
</div></div></div></main></div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-footer__meta"><a class="govuk-footer__link" href="/cookies">Cookies</a> <a class="govuk-footer__link" href="/privacy">Privacy</a> <span class="govuk-footer__licence-description">All content is available under the Open Government Licence v3.0, except where otherwise stated</span></div></footer>'''
    pages = {"index.html": doc("Search results - Find open data", body, lang="en-GB", body_attrs=' class="govuk-template__body"')}
    write("18-definition-lists", pages, {"request": "For every dataset on {base}/index.html I want the title, publisher, last updated, format and licence",
        "start": "index.html", "keys": ["title", "publisher", "last_updated", "format", "licence"], "records": recs})

# ------------------------------------------------------------------ 19 Tailwind utility-class grid with a "Load more" link
@site
def tailwind():
    I = [  # name, category, pricing, installs, blurb
        ("Slack", "Communication", "Free", "48.2k installs", "Send alerts and daily digests to any channel."),
        ("Stripe", "Payments", "Free", "31.7k installs", "Sync customers, invoices and subscriptions."),
        ("HubSpot", "CRM", "Paid", "22.9k installs", "Two-way contact and deal sync."),
        ("Google Sheets", "Productivity", "Free", "61.4k installs", "Export any view to a spreadsheet on a schedule."),
        ("Zendesk", "Support", "Paid", "9.8k installs", "Turn conversations into tickets automatically."),
        ("Mailchimp", "Marketing", "Free", "17.3k installs", "Keep audiences and tags in sync."),
        ("Jira", "Project management", "Free trial", "26.1k installs", "Create issues from feedback with one click."),
        ("Shopify", "E-commerce", "Paid", "14.6k installs", "Import orders, products and refunds."),
        ("Twilio", "Communication", "Paid", "7.2k installs", "Send SMS notifications from workflows."),
        ("Notion", "Productivity", "Free", "33.5k installs", "Mirror records into a Notion database."),
        ("Salesforce", "CRM", "Paid", "12.0k installs", "Enterprise-grade sync for leads and opportunities."),
        ("Intercom", "Support", "Free trial", "8.4k installs", "Show customer data inside the Intercom inbox."),
        ("QuickBooks", "Accounting", "Paid", "10.9k installs", "Post invoices and payments to your ledger."),
        ("Microsoft Teams", "Communication", "Free", "19.5k installs", "Adaptive-card notifications for your team."),
        ("Airtable", "Productivity", "Free", "15.1k installs", "Use Airtable bases as a data source."),
        ("Zapier", "Automation", "Free", "40.8k installs", "Connect to 6,000+ apps without code."),
        ("Segment", "Analytics", "Paid", "6.3k installs", "Stream events to your warehouse."),
        ("Calendly", "Scheduling", "Free trial", "11.7k installs", "Create records when meetings are booked."),
    ]
    badge = {"Free": "bg-green-50 text-green-700 ring-green-600/20", "Paid": "bg-gray-50 text-gray-600 ring-gray-500/10", "Free trial": "bg-blue-50 text-blue-700 ring-blue-700/10"}
    def card(x):
        n, cat, pr, inst, blurb = x
        slug = n.lower().replace(" ", "-")
        return f'''<li class="col-span-1 flex flex-col divide-y divide-gray-200 rounded-lg bg-white shadow-sm ring-1 ring-gray-900/5">
  <a href="/integrations/{slug}" class="group relative flex flex-1 flex-col p-6 hover:bg-gray-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
    <div class="flex items-center gap-x-4"><img class="h-12 w-12 flex-none rounded-lg bg-white object-cover ring-1 ring-gray-900/10" src="/logos/{slug}.svg" alt="">
      <div class="min-w-0 flex-auto"><h3 class="text-sm font-semibold leading-6 text-gray-900">{E(n)}</h3><p class="mt-1 flex text-xs leading-5 text-gray-500"><span class="truncate">{E(cat)}</span></p></div>
      <span class="inline-flex items-center rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset {badge[pr]}">{pr}</span></div>
    <p class="mt-4 line-clamp-2 text-sm leading-6 text-gray-600">{E(blurb)}</p>
  </a>
  <div class="flex items-center justify-between gap-2 px-6 py-3 text-sm text-gray-500"><div class="flex items-center gap-1.5"><svg class="h-4 w-4 text-gray-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10.75 2.75a.75.75 0 00-1.5 0v8.614L6.295 8.235"/></svg><span>{inst}</span></div>
  <button type="button" class="rounded-md bg-white px-2.5 py-1.5 text-sm font-semibold text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 hover:bg-gray-50">Install</button></div>
</li>'''
    cta = '''<li class="col-span-1 flex flex-col divide-y divide-gray-200 rounded-lg bg-white shadow-sm ring-1 ring-gray-900/5"><a href="/integrations/request" class="group relative flex flex-1 flex-col p-6 hover:bg-gray-50"><div class="flex items-center gap-x-4"><div class="min-w-0 flex-auto"><h3 class="text-sm font-semibold leading-6 text-gray-900">Don't see your tool?</h3><p class="mt-1 flex text-xs leading-5 text-gray-500"><span class="truncate">Request an integration</span></p></div></div><p class="mt-4 line-clamp-2 text-sm leading-6 text-gray-600">Tell us what you use and we'll prioritise it.</p></a></li>'''
    parts = chunks(I, 9)
    names = ["index.html", "page-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        cards = [card(x) for x in xs]
        if p == 0:
            cards.insert(5, cta)
        more = (f'<div class="mt-10 flex justify-center"><a href="{names[p+1]}" class="inline-flex items-center gap-x-1.5 rounded-md bg-white px-3.5 py-2.5 text-sm font-semibold text-gray-900 shadow-sm ring-1 ring-inset ring-gray-300 hover:bg-gray-50">Load more<svg class="-mr-0.5 h-5 w-5 text-gray-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10 3a.75.75 0 01.55.24l3.25 3.5"/></svg></a></div>'
                if p + 1 < len(parts) else '<p class="mt-10 text-center text-sm text-gray-500">You\'ve reached the end of the list.</p>')
        body = f'''<div class="min-h-full"><div class="relative isolate flex items-center gap-x-6 overflow-hidden bg-gray-50 px-6 py-2.5 sm:px-3.5 sm:before:flex-1"><p class="text-sm leading-6 text-gray-900"><strong class="font-semibold">Flowline Summit 2026</strong><svg viewBox="0 0 2 2" class="mx-2 inline h-0.5 w-0.5 fill-current" aria-hidden="true"><circle cx="1" cy="1" r="1" /></svg>Join us in Denver from June 7 – 9. <a href="/summit" class="font-semibold">Register now <span aria-hidden="true">&rarr;</span></a></p></div>
<header class="bg-white"><nav class="mx-auto flex max-w-7xl items-center justify-between p-6 lg:px-8" aria-label="Global"><a href="/" class="-m-1.5 p-1.5"><span class="sr-only">Flowline</span><img class="h-8 w-auto" src="/logo.svg" alt=""></a><div class="hidden lg:flex lg:gap-x-12"><a href="/product" class="text-sm font-semibold leading-6 text-gray-900">Product</a><a href="/integrations" class="text-sm font-semibold leading-6 text-gray-900">Integrations</a><a href="/pricing" class="text-sm font-semibold leading-6 text-gray-900">Pricing</a></div></nav></header>
<main class="mx-auto max-w-7xl px-4 py-10 sm:px-6 lg:px-8"><div class="md:flex md:items-center md:justify-between"><div class="min-w-0 flex-1"><h1 class="text-2xl font-bold leading-7 text-gray-900 sm:truncate sm:text-3xl sm:tracking-tight">Integrations</h1><p class="mt-2 text-sm text-gray-500">Connect Flowline with the tools your team already uses.</p></div></div>
<div class="mt-6 flex flex-wrap gap-2"><button class="rounded-full bg-indigo-600 px-3 py-1 text-sm font-semibold text-white">All</button><button class="rounded-full bg-white px-3 py-1 text-sm text-gray-700 ring-1 ring-gray-300">Communication</button><button class="rounded-full bg-white px-3 py-1 text-sm text-gray-700 ring-1 ring-gray-300">CRM</button><button class="rounded-full bg-white px-3 py-1 text-sm text-gray-700 ring-1 ring-gray-300">Productivity</button></div>
<ul role="list" class="mt-8 grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-3">
{chr(10).join(cards)}
</ul>
{more}
</main>
<footer class="bg-white"><div class="mx-auto max-w-7xl overflow-hidden px-6 py-12 lg:px-8"><p class="mt-10 text-center text-xs leading-5 text-gray-500">&copy; 2026 Flowline, Inc. All rights reserved.</p></div></footer></div>'''
        pages[names[p]] = doc("Integrations | Flowline", body, body_attrs=' class="h-full bg-gray-100 antialiased"', head='<link rel="stylesheet" href="/build/tailwind.3f9a1c.css">')
        for x in xs:
            recs.append({"integration_name": x[0], "category": x[1], "pricing": x[2], "installs": x[3]})
    write("19-tailwind-grid", pages, {"request": "Can you get the integration name, category, pricing and installs from {base}/index.html? There's a Load more link at the bottom, get those too.",
        "start": "index.html", "keys": ["integration_name", "category", "pricing", "installs"], "records": recs})
# ------------------------------------------------------------------ 20 German shop (request in German)
@site
def shop_de():
    G = [  # brand, name, price, uvp, rating, count, id
        ("Bosch", "Akku-Bohrschrauber GSR 18V-55 mit 2 Akkus", "149,99 €", "219,00 €", "4,7", "1.284", "s1001"),
        ("WMF", "Kochtopf-Set Gourmet Plus, 5-teilig", "179,99 €", "299,99 €", "4,6", "842", "s1002"),
        ("Philips", "Airfryer XXL HD9285/90", "199,00 €", "", "4,5", "3.117", "s1003"),
        ("Tchibo", "Thermo-Trinkflasche 0,5 l, Edelstahl", "12,99 €", "", "", "", "s1004"),
        ("Severin", "Wasserkocher WK 3416, 1,7 l", "34,95 €", "49,99 €", "4,2", "511", "s1005"),
        ("Fissler", "Pfanne Adamant 28 cm", "69,99 €", "", "4,8", "1.032", "s1006"),
        ("Braun", "Stabmixer MultiQuick 7 MQ 7035X", "89,99 €", "129,99 €", "4,6", "2.406", "s1007"),
        ("Leifheit", "Bügelbrett AirBoard Compact M", "59,99 €", "", "4,3", "377", "s1008"),
        ("Siemens", "Kaffeevollautomat EQ.500 classic", "449,00 €", "699,00 €", "4,4", "1.958", "s1009"),
        ("Rösle", "Grillzange Silikon 40 cm", "19,90 €", "", "4,7", "226", "s1010"),
        ("Kärcher", "Fenstersauger WV 6 Plus", "74,99 €", "99,99 €", "4,5", "4.711", "s1011"),
        ("Zwilling", "Messerblock Pro, 7-teilig", "249,00 €", "", "4,9", "618", "s1012"),
        ("Melitta", "Filterkaffeemaschine Look V Timer", "54,99 €", "", "4,1", "903", "s1013"),
        ("AEG", "Akku-Staubsauger QX9-1-ULTRA", "229,00 €", "329,00 €", "", "", "s1014"),
        ("Tefal", "Waffeleisen Snack Collection", "64,99 €", "", "4,4", "1.145", "s1015"),
        ("Gefu", "Spiralschneider Spirelli 2.0", "29,95 €", "", "4,0", "2.880", "s1016"),
    ]
    def tile(g):
        br, n, pr, uvp, rt, cnt, i = g
        uvp_h = f'<span class="pl_text pl_text--strike" data-qa="uvp">UVP {uvp}</span><span class="pl_sr-only">statt</span>' if uvp else ""
        rt_h = (f'<div class="find_tile__rating" data-qa="rating"><span class="pl_rating" aria-label="{rt} von 5 Sternen" role="img"><span class="pl_rating__stars" style="width:{int(float(rt.replace(",", ".")) * 20)}%"></span></span>'
                f'<span class="find_tile__ratingCount">({cnt})</span></div>') if rt else ""
        badge = '<span class="pl_tag pl_tag--sale">Sale</span>' if uvp else ""
        return f'''<article class="product find_tile" data-product-id="{i}" data-qa="ftfind-product-tile">
  <a class="find_tile__productLink" href="/p/{i}/" aria-label="{E(br)} {E(n)}">
    <div class="find_tile__imageContainer">{badge}<img class="find_tile__productImage" src="/img/{i}.jpg" alt=""></div>
    <p class="find_tile__brand pl_text--bold">{E(br)}</p>
    <p class="find_tile__name pl_copy100">{E(n)}</p>
  </a>
  {rt_h}
  <div class="find_tile__priceContainer"><span class="find_tile__retailPrice pl_headline50 {'find_tile__priceValue--red' if uvp else ''}" data-qa="price">{pr}</span>{uvp_h}<span class="find_tile__vat pl_copy75">inkl. MwSt., zzgl. Versand</span></div>
  <div class="find_tile__delivery pl_copy75">lieferbar – in 2-3 Werktagen bei dir</div>
  <button class="pl_button pl_button--secondary find_tile__wishlist" aria-label="Merken">♡</button>
</article>'''
    parts = chunks(G, 8)
    names = ["index.html", "seite-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        tiles = [tile(g) for g in xs]
        tiles.insert(4, '<div class="find_tile find_tile--advertising" data-qa="sponsored"><span class="pl_tag">Gesponsert</span><a href="https://ads.example/de/kueche"><p class="find_tile__name">Jetzt 20 % auf Küchenhelfer sichern</p><span class="find_tile__retailPrice">ab 9,99 €</span></a></div>')
        nums = "".join((f'<span class="reptile_paging__pageNumber reptile_paging__pageNumber--current" aria-current="page">{k+1}</span>' if k == p else f'<a class="reptile_paging__pageNumber" href="{names[k]}">{k+1}</a>') for k in range(2))
        prev = f'<a class="reptile_paging__btn reptile_paging__btn--prev" href="{names[p-1]}" aria-label="Vorherige Seite">‹</a>' if p else ""
        nxt = f'<a class="reptile_paging__btn reptile_paging__btn--next" href="{names[p+1]}" aria-label="Nächste Seite">Weiter ›</a>' if p + 1 < len(parts) else ""
        body = f'''<header class="nav_header"><a href="/" class="nav_logo" aria-label="Startseite">KAUFHAUS24</a><form class="squirrel_searchbar" action="/suche/"><input type="search" placeholder="Suche nach Marken, Produkten …" value="Küche"></form><nav><a href="/mein-konto/">Mein Konto</a><a href="/merkzettel/">Merkzettel</a><a href="/warenkorb/">Warenkorb</a></nav></header>
<div class="cookieBanner" role="dialog" aria-label="Cookie-Einstellungen"><p>Wir verwenden Cookies, um dir das beste Einkaufserlebnis zu bieten.</p><button>Alle akzeptieren</button><button>Einstellungen</button></div>
<div class="find_layout"><aside class="find_filter"><h2 class="pl_headline100">Filter</h2><div class="find_filter__group"><h3>Marke</h3><ul><li><label><input type="checkbox"> Bosch (312)</label></li><li><label><input type="checkbox"> WMF (208)</label></li><li><label><input type="checkbox"> Philips (187)</label></li></ul></div><div class="find_filter__group"><h3>Preis</h3><ul><li><label><input type="checkbox"> bis 25 €</label></li><li><label><input type="checkbox"> 25 – 100 €</label></li></ul></div></aside>
<main class="find_main"><h1 class="find_headline pl_headline200">Küche &amp; Haushalt <span class="find_headline__count">(16 Artikel)</span></h1>
<div class="find_sorting"><label for="sort">Sortieren nach:</label><select id="sort"><option>Beliebtheit</option><option>Preis aufsteigend</option></select></div>
<section class="find_tileList" id="reptile-tilelist">
{chr(10).join(tiles)}
</section>
<nav class="reptile_paging" aria-label="Seitennavigation">{prev}{nums}{nxt}</nav>
</main></div>
<footer class="nav_footer"><a href="/impressum/">Impressum</a> <a href="/datenschutz/">Datenschutz</a> <a href="/agb/">AGB</a></footer>'''
        pages[names[p]] = doc("Küche & Haushalt online kaufen | KAUFHAUS24", body, lang="de")
        for g in xs:
            recs.append({"name": [g[1], f"{g[0]} {g[1]}"], "preis": g[2], "bewertung": [f"{g[4]} von 5 Sternen", g[4]] if g[4] else ""})
    write("20-shop-de", pages, {"request": "Bitte alle Produkte von {base}/index.html mit Name, Preis und Bewertung, alle Seiten.",
        "start": "index.html", "keys": ["name", "preis", "bewertung"], "records": recs})

# ------------------------------------------------------------------ 21 French rental listings (Leboncoin-like, request in French)
@site
def annonces_fr():
    A = [  # id, title, price, rooms, surface, city, when, pro
        ("2871045512", "Appartement T2 lumineux proche Part-Dieu", "1 050 €", "2 pièces", "45 m²", "Lyon 69003 3e Arrondissement", "Aujourd'hui, 14:32", False),
        ("2871039987", "Studio meublé Croix-Rousse", "690 €", "1 pièce", "22 m²", "Lyon 69004 4e Arrondissement", "Aujourd'hui, 11:05", True),
        ("2871021340", "Maison 4 pièces avec jardin", "1 480 €", "4 pièces", "92 m²", "Villeurbanne 69100", "Aujourd'hui, 09:47", False),
        ("2870998761", "T3 rénové, balcon, parking", "1 120 €", "3 pièces", "64 m²", "Lyon 69007 7e Arrondissement", "Hier, 18:20", True),
        ("2870987702", "Colocation chambre 14 m² dans grand T5", "480 €", "5 pièces", "110 m²", "Lyon 69008 8e Arrondissement", "Hier, 16:02", False),
        ("2870975518", "Loft atypique ancien atelier", "1 650 €", "3 pièces", "120 m²", "Lyon 69002 2e Arrondissement", "Hier, 10:41", False),
        ("2870962204", "Appartement T1 bis calme", "640 €", "2 pièces", "31 m²", "Caluire-et-Cuire 69300", "5 déc., 19:15", True),
        ("2870951177", "Duplex T4 vue Saône", "1 390 €", "4 pièces", "88 m²", "Lyon 69005 5e Arrondissement", "5 déc., 13:30", False),
        ("2870940056", "Studio étudiant proche université", "520 €", "1 pièce", "18 m²", "Bron 69500", "5 déc., 08:54", False),
        ("2870932289", "T2 neuf BBC avec terrasse", "910 €", "2 pièces", "47 m²", "Vénissieux 69200", "4 déc., 17:48", True),
        ("2870921145", "Appartement familial T5", "1 720 €", "5 pièces", "118 m²", "Lyon 69006 6e Arrondissement", "4 déc., 12:11", False),
        ("2870910038", "Petite maison de ville", "1 190 €", "3 pièces", "70 m²", "Oullins-Pierre-Bénite 69600", "4 déc., 09:26", False),
        ("2870899921", "T3 traversant, cave", "985 €", "3 pièces", "58 m²", "Lyon 69009 9e Arrondissement", "3 déc., 20:03", True),
        ("2870888714", "Chambre chez l'habitant", "400 €", "1 pièce", "12 m²", "Écully 69130", "3 déc., 15:37", False),
        ("2870877602", "T2 avec mezzanine, centre", "870 €", "2 pièces", "40 m²", "Lyon 69001 1er Arrondissement", "3 déc., 10:22", False),
        ("2870866495", "Grand T4 résidence sécurisée", "1 260 €", "4 pièces", "85 m²", "Sainte-Foy-lès-Lyon 69110", "2 déc., 18:09", True),
    ]
    def card(a, sponsored=False):
        i, t, pr, rooms, surf, city, when, pro = a
        pro_h = '<span class="text-caption text-neutral" data-test-id="pro-badge">Pro</span>' if pro else ""
        sp = '<span class="absolute top-sm left-sm bg-surface rounded-sm px-sm text-caption" data-test-id="sponsored-tag">À la une</span>' if sponsored else ""
        return f'''<article data-test-id="ad" data-qa-id="aditem_container" class="relative flex flex-col styles_adCard__klAb5 {'styles_adCard--urgent__Xy2p1' if sponsored else ''}">
<a aria-label="{E(t)}" class="absolute inset-0 z-base" href="/ad/locations/{i}" title="{E(t)}"></a>
<div class="relative styles_adImage__vmtJ3">{sp}<img src="/img/{i}.jpg" alt="{E(t)}" loading="lazy"><span class="text-caption" data-test-id="photo-count">8</span></div>
<div class="flex flex-col gap-y-xs p-sm"><p data-test-id="adcard-title" class="text-body-1 text-on-surface font-bold line-clamp-2 break-words" title="{E(t)}">{E(t)}</p>
<div class="flex flex-wrap" data-test-id="ad-params-light"><span class="text-caption">{rooms}</span><span class="text-caption mx-xs" aria-hidden="true">·</span><span class="text-caption">{surf}</span></div>
<p data-test-id="price" aria-label="Prix" class="text-callout text-on-surface font-bold"><span class="text-callout font-bold">{pr.replace(' ', chr(0x202f))}</span></p>
<div class="mt-auto flex flex-col"><p aria-label="Située à {E(city)}" class="text-caption text-neutral">{E(city)}</p><p aria-label="Date de dépôt : {E(when)}" class="text-caption text-neutral">{E(when)}</p>{pro_h}</div></div>
<button data-test-id="adcard-favorite" aria-label="Ajouter l'annonce aux favoris" class="absolute top-sm right-sm"><svg viewBox="0 0 24 24" width="24"><path d="M12 21l-1.45-1.32C5.4 15.36 2 12.28 2 8.5"/></svg></button>
</article>'''
    parts = chunks(A, 8)
    names = ["index.html", "p-2.html"]
    pages, recs = {}, []
    for p, xs in enumerate(parts):
        cards = [card(a) for a in xs]
        if p == 0:
            cards.insert(0, card(("2870001122", "Résidence étudiante neuve - studios disponibles", "590 €", "1 pièce", "19 m²", "Lyon 69007 7e Arrondissement", "1 déc., 09:00", True), sponsored=True))
        nums = "".join((f'<li><span aria-current="page" class="styles_pageNumber--active__Qz8T9">{k+1}</span></li>' if k == p else f'<li><a href="{names[k]}" title="Page {k+1}" class="styles_pageNumber__A1b2C">{k+1}</a></li>') for k in range(2))
        nxt = f'<a href="{names[p+1]}" title="Page suivante" aria-label="Page suivante" class="styles_nextButton__x8Yt2"><svg viewBox="0 0 24 24" width="16" aria-hidden="true"><path d="M9 6l6 6-6 6"/></svg></a>' if p + 1 < len(parts) else ""
        prev = f'<a href="{names[p-1]}" title="Page précédente" aria-label="Page précédente" class="styles_prevButton__k3Ld9"><svg viewBox="0 0 24 24" width="16" aria-hidden="true"><path d="M15 6l-6 6 6 6"/></svg></a>' if p else ""
        body = f'''<div id="__next"><header class="styles_header__Qp1wE"><a href="/" aria-label="Accueil"><svg class="styles_logo__nK9Yl" viewBox="0 0 150 30"><title>leboncoin</title></svg></a><a href="/deposer-une-annonce" class="styles_cta__x1Y2z">Déposer une annonce</a><form role="search"><input type="search" aria-label="Rechercher sur leboncoin" placeholder="Rechercher sur leboncoin"></form><a href="/compte/part/mes-annonces">Mes annonces</a><a href="/compte/connexion">Se connecter</a></header>
<div class="didomi-notice" role="dialog"><p>Vos données personnelles : nous et nos partenaires utilisons des cookies.</p><button>Accepter &amp; Fermer</button><button>Continuer sans accepter</button></div>
<main class="styles_main__bX3bT"><nav aria-label="Fil d'Ariane"><ol><li><a href="/">Accueil</a></li><li><a href="/c/locations">Locations</a></li><li>Lyon</li></ol></nav>
<h1 class="text-headline-1-expanded">Locations : Lyon <span class="text-body-1">(16 annonces)</span></h1>
<div class="styles_filters__lA2Bq"><button>Type de bien</button><button>Loyer</button><button>Surface</button><button>Pièces</button></div>
<div data-test-id="listing-column" class="styles_classifiedColumn__Vz5YJ">
{chr(10).join(cards)}
</div>
<nav aria-label="pagination" data-spark-component="pagination"><ul class="flex gap-md">{('<li>' + prev + '</li>') if prev else ''}{nums}{('<li>' + nxt + '</li>') if nxt else ''}</ul></nav>
</main>
<footer><a href="/dc/cgu">Conditions générales d'utilisation</a> <a href="/dc/vie-privee">Vie privée / cookies</a></footer></div>'''
        pages[names[p]] = doc("Locations Lyon - leboncoin", body, lang="fr")
        for a in xs:
            recs.append({"titre": a[1], "prix": a[2], "surface": a[4], "ville": a[5]})
    write("21-annonces-fr", pages, {"request": "Bonjour, je voudrais le titre, le prix, la surface et la ville de toutes les annonces sur {base}/index.html (2 pages) svp",
        "start": "index.html", "keys": ["titre", "prix", "surface", "ville"], "records": recs})


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for fn in SITES:
        fn()
    print(f"{len(SITES)} sites written to {OUT}")

if __name__ == "__main__":
    main()
