//! The demo shop's catalogue: generated from the product number, so every run of the demo and
//! every test sees the same 60 products.

/// Products in the shop.
pub const PRODUCT_COUNT: usize = 60;
/// Products on one listing page.
pub const PER_PAGE: usize = 12;

const ADJECTIVES: [&str; 10] = [
    "Classic", "Compact", "Deluxe", "Eco", "Everyday", "Handmade", "Modern", "Nordic", "Rustic",
    "Smart",
];
const ITEMS: [&str; 6] = [
    "Mug",
    "Teapot",
    "Desk Lamp",
    "Backpack",
    "Notebook",
    "Water Bottle",
];

/// One product of the demo shop.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// 1-based, also the detail page's path segment.
    pub id: usize,
    pub name: String,
    /// Display price, e.g. `$19.99`.
    pub price: String,
    /// Stock keeping unit, e.g. `DS-0007`.
    pub sku: String,
    /// Out of 5, one decimal.
    pub rating: String,
    pub stock: &'static str,
}

/// Product `id` (1..=PRODUCT_COUNT).
pub fn product(id: usize) -> Product {
    let i = id - 1;
    let cents = 499 + (i * 737) % 4500;
    Product {
        id,
        name: format!(
            "{} {}",
            ADJECTIVES[i % ADJECTIVES.len()],
            ITEMS[i / ADJECTIVES.len()]
        ),
        price: format!("${}.{:02}", cents / 100, cents % 100),
        sku: format!("DS-{:04}", 1000 + id * 7),
        rating: format!("{:.1}", 3.0 + ((i * 7) % 21) as f64 / 10.0),
        stock: match i % 7 {
            3 => "Out of stock",
            5 => "Only 2 left",
            _ => "In stock",
        },
    }
}

/// All products, in listing order.
pub fn catalogue() -> Vec<Product> {
    (1..=PRODUCT_COUNT).map(product).collect()
}

/// Number of listing pages.
pub fn page_count() -> usize {
    PRODUCT_COUNT.div_ceil(PER_PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_unique_names_and_skus() {
        let all = catalogue();
        let names: std::collections::HashSet<_> = all.iter().map(|p| &p.name).collect();
        let skus: std::collections::HashSet<_> = all.iter().map(|p| &p.sku).collect();
        assert_eq!(names.len(), PRODUCT_COUNT);
        assert_eq!(skus.len(), PRODUCT_COUNT);
        assert_eq!(page_count(), 5);
        assert!(
            all.iter()
                .all(|p| p.price.starts_with('$') && p.price.contains('.'))
        );
    }
}
