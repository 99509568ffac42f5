//! Which download links a caller can use: only web links (a platform may read records through
//! a link of its own scheme), and a link to this machine's loopback address is of no use to a
//! remote HTTP caller, so it is only handed to a local (stdio) one.

use url::Url;

use super::Server;

impl Server {
    pub(super) fn caller_can_reach(&self, url: &Url) -> bool {
        matches!(url.scheme(), "http" | "https")
            && (self.settings.caller_is_local
                || !matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")))
    }
}
