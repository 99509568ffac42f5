//! Unguessable secrets (keys, session ids, cursor secrets) from the operating system's CSPRNG.

/// `len` random bytes.
pub fn bytes(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    getrandom::fill(&mut buf).expect("the operating system has no random source");
    buf
}

/// `len` random bytes as lowercase hex.
pub fn hex(len: usize) -> String {
    bytes(len).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_differ_and_have_the_asked_length() {
        let (a, b) = (super::hex(16), super::hex(16));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
