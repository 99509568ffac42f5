//! Which tools this server offers, so that every next_step and hint
//! names only tools the client can call (a read-only server never says "call run_agent").

use super::catalog::Tool;

/// A `Guide` is a bit set over the catalog.
const _: () = assert!(Tool::ALL.len() <= 64);

impl Tool {
    fn bit(self) -> u64 {
        1 << (self as u64)
    }
}

/// The tools a client can call on this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guide(u64);

impl Guide {
    pub fn new(tools: impl IntoIterator<Item = Tool>) -> Self {
        Guide(tools.into_iter().fold(0, |bits, t| bits | t.bit()))
    }

    /// Every tool: for texts written where the catalog does not matter (tests, the CLI).
    pub fn everything() -> Self {
        Guide::new(Tool::ALL.iter().copied())
    }

    pub fn offers(self, tool: Tool) -> bool {
        self.0 & tool.bit() != 0
    }

    /// The offered tools, in catalog order.
    pub fn tools(self) -> impl Iterator<Item = Tool> {
        Tool::ALL.iter().copied().filter(move |t| self.offers(*t))
    }

    /// Only the tools both offer.
    pub fn intersect(self, other: Guide) -> Guide {
        Guide(self.0 & other.0)
    }

    /// `text` when `tool` is offered, else nothing: for optional clauses of a next_step.
    pub fn when(self, tool: Tool, text: impl FnOnce() -> String) -> String {
        if self.offers(tool) {
            text()
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_what_was_put_in() {
        let guide = Guide::new([Tool::ListRuns, Tool::FetchRecords]);
        assert!(guide.offers(Tool::ListRuns) && !guide.offers(Tool::RunAgent));
        assert_eq!(
            guide.tools().collect::<Vec<_>>(),
            [Tool::FetchRecords, Tool::ListRuns]
        );
        assert_eq!(guide.when(Tool::RunAgent, || "x".into()), "");
        assert_eq!(
            guide
                .intersect(Guide::new([Tool::ListRuns]))
                .tools()
                .count(),
            1
        );
    }
}
