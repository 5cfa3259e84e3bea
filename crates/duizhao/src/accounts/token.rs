//! Secret tokens (sessions, CSRF, API tokens): 32 random bytes from the operating system,
//! written as hex. Only their SHA-256 is stored, so a leaked database grants no access.

use sha2::{Digest, Sha256};

/// The prefix of API tokens, so that they are recognisable in logs and secret scanners.
pub const API_PREFIX: &str = "dz_";

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    hex(&buf)
}

/// A new session or CSRF token.
pub fn new_secret() -> String {
    random_hex(32)
}

/// A new API token.
pub fn new_api_token() -> String {
    format!("{API_PREFIX}{}", random_hex(32))
}

/// The stored form of a token.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time that depends only on their lengths.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(new_api_token().starts_with("dz_"));
        assert_eq!(digest("abc"), digest("abc"));
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
