//! Password hashing with Argon2id (the `argon2` crate's defaults: OWASP's m=19 MiB, t=2, p=1),
//! stored as PHC strings so that parameters can be raised later without invalidating old
//! hashes. Hashing takes tens of milliseconds of CPU on purpose: callers in async code run it
//! on the blocking pool.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// The longest password accepted (hashing cost grows with length; nobody types more).
pub const MAX_LENGTH: usize = 1024;

/// How strong a new password must be: zxcvbn's score 3 ("safely unguessable: moderate
/// protection from an offline attack", about 10^8 guesses or more).
pub const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Why a new password was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    /// Too short.
    #[error("the password must have at least {MIN_LENGTH} characters")]
    TooShort,
    /// Too long.
    #[error("the password must have at most {MAX_LENGTH} characters")]
    TooLong,
    /// Common, or made of the account's or the site's own words, or a pattern a password
    /// cracker tries early; with advice on what to do instead.
    #[error("the password is too easy to guess{0}")]
    Guessable(String),
    /// The hasher failed (no random source).
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Checks a new password as ASVS 5.0 chapter 6 asks: at least [`MIN_LENGTH`] characters,
/// any characters (no composition rules), long passphrases welcome up to [`MAX_LENGTH`], and
/// refused when a strength estimator finds it common or guessable, counting `context` (the
/// username, the display name, the site's names) as words an attacker would try first.
pub fn check_new(password: &str, context: &[&str]) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    // Every context word, and its parts (a display name's words, a site's name's words).
    let mut words: Vec<&str> = vec!["duizhao", "admin", "editor", "password"];
    for c in context {
        words.push(c);
        words.extend(
            c.split(|ch: char| !ch.is_alphanumeric())
                .filter(|w| w.len() >= 3),
        );
    }
    if mostly_context(password, &words) {
        return Err(PasswordError::Guessable(
            ": it is made of the account's or the site's own names; add words of your own".into(),
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &words);
    if estimate.score() >= MIN_SCORE {
        return Ok(());
    }
    let advice = estimate
        .feedback()
        .map(|f| {
            let mut parts: Vec<String> = f.warning().map(|w| w.to_string()).into_iter().collect();
            parts.extend(f.suggestions().iter().map(|s| s.to_string()));
            parts.join(" ")
        })
        .filter(|a| !a.is_empty())
        .map(|a| format!(": {a}"))
        .unwrap_or_else(|| ": add a few uncommon words".to_owned());
    Err(PasswordError::Guessable(advice))
}

/// Whether little is left of a password once the context words (three letters or more) are
/// taken out, with digits and punctuation: `DuizhaoReview1` on a site called Duizhao Review.
/// (zxcvbn rates any password of three parts at 10^8 guesses or more, however guessable each
/// part is, so it passes such a password.)
fn mostly_context(password: &str, words: &[&str]) -> bool {
    let mut rest = password.to_lowercase();
    let mut words: Vec<String> = words
        .iter()
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    // Longest first, so that a name is taken out whole before its parts.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for w in &words {
        rest = rest.replace(w.as_str(), "");
    }
    rest.chars().filter(|c| c.is_alphabetic()).count() < 5
}

/// Checks a new password ([`check_new`]) and hashes it.
pub fn hash_new(password: &str, context: &[&str]) -> Result<String, PasswordError> {
    check_new(password, context)?;
    hash(password)
}

/// Hashes a password, after checking only its length (for passwords this program made up,
/// and tests).
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches a stored hash. An unreadable hash matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, for comparing against when the account does not exist, so
/// that a failed login takes the same time whether or not the name is known.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&super::token::random_hex(16)).expect("hashing a random password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("correct horse battery", "not a hash"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash("correct horse battery").unwrap());
    }

    #[test]
    fn common_and_context_passwords_are_refused_and_passphrases_accepted() {
        for weak in [
            "aaaaaaaaaa",
            "1234567890",
            "password123",
            "qwertyuiop",
            "iloveyou2026",
            "Password1!",
            "linmeilinmei",
        ] {
            assert!(
                matches!(
                    check_new(weak, &["linmei", "Lin Mei"]),
                    Err(PasswordError::Guessable(_))
                ),
                "{weak}"
            );
        }
        // The username repeated, or with a digit, is refused: the account's own words are the
        // first an attacker tries.
        assert!(check_new("hedanianhedanian", &["hedanian"]).is_err());
        assert!(check_new("zhongqiming2", &["zhongqiming"]).is_err());
        assert_eq!(check_new("zhongqiming2", &[]), Ok(()));
        assert!(check_new("DuizhaoReview1", &["Duizhao Review"]).is_err());
        assert!(check_new("Review2026Duizhao!", &["Duizhao Review"]).is_err());
        for strong in [
            "correct horse battery",
            "tidal mango violin sediment",
            "我的密碼是港口的晚霞與海鷗",
            "Vq8#mZ2!pL",
        ] {
            assert_eq!(check_new(strong, &["linmei"]), Ok(()), "{strong}");
        }
        // Long passphrases are welcome, up to the limit.
        assert_eq!(check_new(&"tidal mango violin ".repeat(40), &[]), Ok(()));
        let message = check_new("aaaaaaaaaa", &[]).unwrap_err().to_string();
        assert!(
            message.starts_with("the password is too easy to guess: "),
            "{message}"
        );
    }

    #[test]
    fn length_limits() {
        assert_eq!(hash("short"), Err(PasswordError::TooShort));
        assert_eq!(
            hash(&"x".repeat(MAX_LENGTH + 1)),
            Err(PasswordError::TooLong)
        );
        // Characters, not bytes: ten Chinese characters are enough.
        assert!(hash("我的密碼很長很長很長").is_ok());
    }
}
