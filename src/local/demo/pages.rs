//! HTML of the demo shop. It carries what real shops carry around their products (a header
//! navigation, a sidebar advertisement, a sponsored card in the grid, a footer) so that the
//! builder has to tell records from clutter.

use super::catalogue::{PER_PAGE, PRODUCT_COUNT, Product, page_count, product};

const BASE: &str = "/demo/shop";

fn layout(title: &str, head_extra: &str, main: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Demo Shop</title>{head_extra}
<style>body{{font-family:sans-serif;margin:0}} .layout{{display:flex;gap:2em;padding:1em}}
.product-grid{{display:grid;grid-template-columns:repeat(4,1fr);gap:1em}} .card{{border:1px solid #ddd;padding:.5em}}
.sponsored{{background:#fffbe6}} aside{{width:14em}}</style></head>
<body>
<header class="site-header"><a class="logo" href="{BASE}/">Demo Shop</a>
<nav class="main-nav"><ul>
<li><a href="{BASE}/">Home</a></li><li><a href="{BASE}/products?page=1">Products</a></li>
<li><a href="{BASE}/products?page=1#deals">Deals</a></li><li><a href="{BASE}/">Contact</a></li>
</ul></nav></header>
<div class="layout">
<aside class="sidebar">
<div class="ad-block"><h3>Advertisement</h3><p>Win a holiday for two! Enter our prize draw today.</p>
<a href="{BASE}/?from=ad">Enter now</a></div>
<h3>Categories</h3><ul class="categories"><li><a href="{BASE}/products?page=1">Kitchen</a></li>
<li><a href="{BASE}/products?page=2">Office</a></li><li><a href="{BASE}/products?page=3">Outdoors</a></li></ul>
</aside>
<main>{main}</main>
</div>
<footer class="site-footer"><ul><li><a href="{BASE}/">About us</a></li><li><a href="{BASE}/">Shipping</a></li>
<li><a href="{BASE}/">Returns</a></li><li><a href="{BASE}/">Privacy</a></li></ul><p>&copy; Demo Shop</p></footer>
</body></html>"#
    )
}

/// The shop's home page, linking to every listing page.
pub fn home() -> String {
    let pages: String = (1..=page_count())
        .map(|n| format!(r#"<li><a href="{BASE}/products?page={n}">Products, page {n}</a></li>"#))
        .collect();
    layout(
        "Welcome",
        "",
        &format!(
            "<h1>Welcome to the Demo Shop</h1><p>{PRODUCT_COUNT} products for home and office.</p><ul class=\"pages\">{pages}</ul>"
        ),
    )
}

fn card(p: &Product) -> String {
    format!(
        r#"<article class="card product">
<a href="{BASE}/products/{id}"><img src="{BASE}/images/{id}.svg" alt="{name}" width="120" height="90"></a>
<h2 class="title"><a href="{BASE}/products/{id}">{name}</a></h2>
<p class="price">{price}</p>
<p class="meta">SKU: <span class="sku">{sku}</span></p>
<p class="rating" title="{rating} out of 5">{rating} / 5</p>
<p class="stock">{stock}</p>
<button type="button">Add to cart</button>
</article>
"#,
        id = p.id,
        name = p.name,
        price = p.price,
        sku = p.sku,
        rating = p.rating,
        stock = p.stock,
    )
}

/// A card that looks like a product but is an advertisement.
fn sponsored_card(page: usize) -> String {
    format!(
        r#"<article class="card sponsored">
<span class="badge">Sponsored</span>
<h2 class="title"><a href="{BASE}/?from=sponsored&amp;page={page}">Turbo Blender 3000</a></h2>
<p class="price">$249.00</p><p class="meta">Free delivery this week</p>
</article>
"#
    )
}

/// Listing page `page` (1-based), or `None` past the end.
pub fn products(page: usize) -> Option<String> {
    let pages = page_count();
    if page == 0 || page > pages {
        return None;
    }
    let first = (page - 1) * PER_PAGE + 1;
    let last = (page * PER_PAGE).min(PRODUCT_COUNT);
    let mut grid = String::new();
    for (n, id) in (first..=last).enumerate() {
        if n == 3 {
            grid.push_str(&sponsored_card(page));
        }
        grid.push_str(&card(&product(id)));
    }
    let link = |n: usize| format!("{BASE}/products?page={n}");
    let mut pager = String::new();
    if page > 1 {
        pager.push_str(&format!(
            r#"<a rel="prev" href="{}">&laquo; Previous</a> "#,
            link(page - 1)
        ));
    }
    for n in 1..=pages {
        if n == page {
            pager.push_str(&format!(r#"<span class="current">{n}</span> "#));
        } else {
            pager.push_str(&format!(r#"<a href="{}">{n}</a> "#, link(n)));
        }
    }
    let mut head = String::new();
    if page < pages {
        pager.push_str(&format!(
            r#"<a rel="next" href="{}">Next &raquo;</a>"#,
            link(page + 1)
        ));
        head = format!(r#"<link rel="next" href="{}">"#, link(page + 1));
    }
    let main = format!(
        r#"<h1>All products</h1><p class="count">Showing {first}&ndash;{last} of {PRODUCT_COUNT}</p>
<div class="product-grid">
{grid}</div>
<nav class="pagination" aria-label="Pages">{pager}</nav>"#
    );
    Some(layout(
        &format!("Products, page {page} of {pages}"),
        &head,
        &main,
    ))
}

/// The detail page of product `id`, or `None` for an unknown id.
pub fn detail(id: usize) -> Option<String> {
    if id == 0 || id > PRODUCT_COUNT {
        return None;
    }
    let p = product(id);
    let page = (id - 1) / PER_PAGE + 1;
    Some(layout(
        &p.name,
        "",
        &format!(
            r#"<article class="product-detail"><h1>{name}</h1><img src="{BASE}/images/{id}.svg" alt="{name}">
<p class="price">{price}</p><p>SKU: <span class="sku">{sku}</span></p><p>Rating: {rating} / 5</p><p>{stock}</p>
<p class="description">The {name} is part of our {PRODUCT_COUNT}-piece demo range.</p>
<a href="{BASE}/products?page={page}">Back to products</a></article>"#,
            name = p.name,
            price = p.price,
            sku = p.sku,
            rating = p.rating,
            stock = p.stock,
        ),
    ))
}

/// A small picture for product `id`: a coloured tile with its number.
pub fn image(id: usize) -> Option<String> {
    if id == 0 || id > PRODUCT_COUNT {
        return None;
    }
    let hue = (id * 37) % 360;
    Some(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90"><rect width="120" height="90" fill="hsl({hue},60%,70%)"/><text x="60" y="52" font-size="24" text-anchor="middle">{id}</text></svg>"#
    ))
}
