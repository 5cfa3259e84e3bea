//! URL names (slugs) made from names, and which slugs are acceptable.
//!
//! A slug is part of an address readers see and share, so two slugs that look the same must
//! be the same slug. Names are normalised (NFKC: full-width `ｔｒａｄｅ` is `trade`), lowered,
//! and stripped of accents (`café` is `cafe`, as WordPress does). What remains may hold ASCII
//! letters and digits, hyphens, and the scripts of Chinese and its neighbours (Han, Bopomofo,
//! Hiragana, Katakana, Hangul), which no Latin letter can be mistaken for. Letters of other
//! scripts, Cyrillic and Greek above all, include look-alikes of Latin letters (Cyrillic `а`
//! in `trаde`): a slug holding one is refused with the reason ([`check`]), never silently
//! changed into something else.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_script::{Script, UnicodeScript};

/// The longest slug.
pub const MAX_LEN: usize = 120;

fn east_asian(c: char) -> bool {
    matches!(
        c.script(),
        Script::Han | Script::Bopomofo | Script::Hiragana | Script::Katakana | Script::Hangul
    )
}

/// A slug from a name: letters and digits, words joined by `-` (see the module docs). It may
/// still hold letters that [`check`] refuses; an empty slug means the name had none.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    let normal: String = name.trim().nfkc().flat_map(char::to_lowercase).collect();
    for c in normal.chars() {
        let kept: Vec<char> = if c.is_ascii_alphanumeric() || east_asian(c) {
            vec![c]
        } else if c.is_alphanumeric() {
            // An accented Latin letter becomes its base letter; other letters stay for
            // `check` to name.
            let bare: Vec<char> = c.nfd().filter(|d| !is_combining_mark(*d)).collect();
            if bare.iter().all(char::is_ascii_alphanumeric) {
                bare
            } else {
                vec![c]
            }
        } else {
            Vec::new()
        };
        if kept.is_empty() {
            dash = true;
            continue;
        }
        if dash && !slug.is_empty() {
            slug.push('-');
        }
        dash = false;
        slug.extend(kept);
    }
    slug
}

/// The longest slug [`from_headline`] proposes.
pub const PROPOSED_LEN: usize = 80;

/// An article's slug proposed from its headlines: the English one's words, else the Chinese
/// one in toneless pinyin, a syllable per character (`第一份工作` → `di-yi-fen-gong-zuo`); in
/// ASCII letters, digits and hyphens (article addresses are ASCII), at most
/// [`PROPOSED_LEN`] characters, cut between words. Empty when neither headline gives a letter.
pub fn from_headline(en: &str, zh: &str) -> String {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let ascii_words = |text: &str, words: &mut Vec<String>| {
        for word in slugify(text).split('-') {
            let bare: String = word.nfd().filter(|c| c.is_ascii_alphanumeric()).collect();
            if !bare.is_empty() {
                words.push(bare);
            }
        }
    };
    ascii_words(en, &mut words);
    if words.is_empty() {
        let mut latin = String::new();
        for c in zh.chars() {
            if let Some(p) = c.to_pinyin() {
                if !latin.is_empty() {
                    ascii_words(&std::mem::take(&mut latin), &mut words);
                }
                ascii_words(p.plain(), &mut words);
            } else {
                latin.push(c);
            }
        }
        ascii_words(&latin, &mut words);
    }
    let mut slug = String::new();
    for word in words {
        let extra = word.len() + usize::from(!slug.is_empty());
        if slug.len() + extra > PROPOSED_LEN {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

/// `Ok` when a slug is acceptable; else why not, for the report or the form.
pub fn check(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".to_owned());
    }
    if slug.chars().count() > MAX_LEN {
        return Err(format!("the slug has more than {MAX_LEN} characters"));
    }
    if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        return Err(format!("the slug {slug:?} has a stray hyphen"));
    }
    for c in slug.chars() {
        let fine = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || east_asian(c);
        if !fine {
            return Err(format!(
                "the slug {slug:?} holds {c:?} (U+{:04X}, {} script), which is not an ASCII \
                 letter, a digit or a Chinese character and may pass for one; give the item an \
                 ASCII or Chinese slug",
                c as u32,
                c.script().full_name()
            ));
        }
    }
    if slug.nfkc().ne(slug.chars()) {
        return Err(format!("the slug {slug:?} is not in normal form (NFKC)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_propose_ascii_slugs() {
        assert_eq!(
            from_headline(
                "The First Job Is Getting Harder to Find",
                "第一份工作越来越难找"
            ),
            "the-first-job-is-getting-harder-to-find"
        );
        assert_eq!(
            from_headline("", "第一份工作越来越难找"),
            "di-yi-fen-gong-zuo-yue-lai-yue-nan-zhao"
        );
        assert_eq!(
            from_headline("  ", "關稅壁壘"),
            "guan-shui-bi-lei",
            "Traditional too"
        );
        assert_eq!(
            from_headline("", "AI 与绿色转型 2030"),
            "ai-yu-lu-se-zhuan-xing-2030"
        );
        assert_eq!(from_headline("Café Société", ""), "cafe-societe");
        assert_eq!(from_headline("Что", "！？"), "", "nothing Latin or Chinese");
        let long = from_headline(&"word ".repeat(40), "");
        assert!(long.len() <= PROPOSED_LEN && !long.ends_with('-'), "{long}");
        assert!(from_headline("", &"长".repeat(200)).len() <= PROPOSED_LEN);
    }

    #[test]
    fn names_become_slugs() {
        assert_eq!(slugify("Trade Policy & Tariffs"), "trade-policy-tariffs");
        assert_eq!(slugify("  贸易 政策 "), "贸易-政策");
        assert_eq!(slugify("ｔｒａｄｅ　ＷＡＲ"), "trade-war");
        assert_eq!(slugify("Café Société"), "cafe-societe");
        assert_eq!(slugify("AI 人工智能"), "ai-人工智能");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn look_alikes_are_refused_with_the_reason() {
        // Cyrillic а (U+0430) in a Latin word, a whole Cyrillic word, Greek ο.
        for name in ["trаde", "торговля", "trade-ροlicy"] {
            let slug = slugify(name);
            let why = check(&slug).unwrap_err();
            assert!(why.contains("script"), "{why}");
        }
        assert!(check(&slugify("trаde")).unwrap_err().contains("Cyrillic"));
        for good in ["trade-war", "贸易-政策", "ai-人工智能", "2026", "ポケモン"] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        for bad in ["", "-x", "x-", "a--b", "Trade", "a b", "a/b", "a\u{0}b"] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert!(check(&"a".repeat(MAX_LEN + 1)).is_err());
    }
}
