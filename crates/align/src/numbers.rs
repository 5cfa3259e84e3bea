//! Numbers as alignment anchors: Arabic digits in both languages, Chinese numerals
//! (二〇二三, 十五, 三千五百, 百分之五), English number words (nine hundred and thirty) and month
//! names, all read as values so that 二〇二三年八月 and "August 2023" share {2023, 8}.

/// A number's value, scaled by 1000 so that decimals compare exactly.
/// A number's value in thousandths (5.2 is 5200), so that decimals compare exactly.
pub type Value = i64;

fn scaled(v: f64) -> Value {
    (v * 1000.0).round() as Value
}

const ZH_UNITS: &[(char, u64)] = &[
    ('十', 10),
    ('拾', 10),
    ('百', 100),
    ('佰', 100),
    ('千', 1000),
    ('仟', 1000),
];

fn zh_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn zh_unit(c: char) -> Option<u64> {
    ZH_UNITS.iter().find(|&&(u, _)| u == c).map(|&(_, v)| v)
}

fn zh_big(c: char) -> Option<u64> {
    match c {
        '万' | '萬' => Some(10_000),
        '亿' | '億' => Some(100_000_000),
        _ => None,
    }
}

fn is_zh_numeral(c: char) -> bool {
    zh_digit(c).is_some() || zh_unit(c).is_some() || zh_big(c).is_some()
}

/// Characters after which a single numeral character is a number (五年, 八月, 三岁), not a word
/// part (一些, 一样, 万一).
/// Not 分 (十分, "very") nor 点 (一点, "a little").
const ZH_COUNTERS: &str =
    "年月日号號岁歲天周週时時秒倍次个個人名位元块塊美英里公米吨噸项項条條章节節期届屆";

/// The values of the numbers in a Chinese text.
pub fn zh_numbers(text: &str) -> Vec<Value> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = ascii_digit(c) {
            let (v, next) = read_arabic(&chars, i, d);
            out.push(v);
            i = next;
            continue;
        }
        if !is_zh_numeral(c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_zh_numeral(chars[i]) {
            i += 1;
        }
        // 百分之五: the 百 of 百分之 is not a number; the numeral after it is.
        if chars[start..i] == ['百'] && chars.get(i..i + 2) == Some(&['分', '之']) {
            continue;
        }
        // A run cannot start with 万 or 亿 (万一, "in case").
        let mut start = start;
        while start < i && zh_big(chars[start]).is_some() {
            start += 1;
        }
        let run = &chars[start..i];
        if !run.iter().any(|&c| zh_digit(c).is_some() || c == '十') {
            continue; // 千万 ("by all means"), 万万
        }
        let percent = start >= 3 && chars[start - 3..start] == ['百', '分', '之'];
        let ordinal = start >= 1 && chars[start - 1] == '第';
        let counter = chars.get(i).is_some_and(|c| ZH_COUNTERS.contains(*c));
        // 一一 and 三三两两 are words; digit-by-digit numbers (二〇二三) are longer or counted.
        let digits_only = run.iter().all(|&c| zh_digit(c).is_some());
        let short = run.len() == 1 || (digits_only && run.len() == 2);
        // A lone 一 before a counter is mostly the article "a" (一个, 一天).
        let lone_one = run.len() == 1 && zh_digit(run[0]) == Some(1);
        if short && !(percent || ordinal || (counter && !lone_one)) {
            continue;
        }
        if let Some(v) = parse_zh_numeral(run) {
            out.push(scaled(v as f64));
        }
    }
    out
}

fn ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Reads 1,234.5 (and full-width digits) from `chars[i]`; returns the value and the next index.
fn read_arabic(chars: &[char], mut i: usize, first: u32) -> (Value, usize) {
    let mut int = first as f64;
    i += 1;
    let mut frac = 0.0;
    let mut scale = 0.1;
    let mut in_frac = false;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = ascii_digit(c) {
            if in_frac {
                frac += d as f64 * scale;
                scale /= 10.0;
            } else {
                int = int * 10.0 + d as f64;
            }
            i += 1;
        } else if (c == ',' || c == '，') && !in_frac && next_digits(chars, i + 1) == 3 {
            i += 1;
        } else if (c == '.' || c == '．') && !in_frac && next_digits(chars, i + 1) > 0 {
            in_frac = true;
            i += 1;
        } else {
            break;
        }
    }
    (scaled(int + frac), i)
}

fn next_digits(chars: &[char], i: usize) -> usize {
    chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| ascii_digit(**c).is_some())
        .count()
}

/// 二〇二三 → 2023 (digit by digit), 三千五百 → 3500, 十五 → 15, 两万三千 → 23000.
fn parse_zh_numeral(run: &[char]) -> Option<u64> {
    if run.iter().all(|&c| zh_digit(c).is_some()) {
        return run
            .iter()
            .try_fold(0u64, |v, &c| v.checked_mul(10)?.checked_add(zh_digit(c)?));
    }
    let mut yi: u64 = 0; // everything up to the last 亿
    let mut wan: u64 = 0; // the 万 group since then
    let mut section: u64 = 0; // below 万
    let mut digit: Option<u64> = None;
    for &c in run {
        if let Some(d) = zh_digit(c) {
            digit = Some(d);
        } else if let Some(u) = zh_unit(c) {
            section += digit.unwrap_or(1) * u;
            digit = None;
        } else if let Some(b) = zh_big(c) {
            let below = section + digit.unwrap_or(0);
            if b == 10_000 {
                wan = below.max(1) * b;
            } else {
                yi = (yi + wan + below).max(1).checked_mul(b)?;
                wan = 0;
            }
            section = 0;
            digit = None;
        }
    }
    Some(yi + wan + section + digit.unwrap_or(0))
}

const EN_SMALL: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];
const EN_SCALE: &[(&str, u64)] = &[
    ("hundred", 100),
    ("thousand", 1000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The values of the numbers in an English text: digits, number words and month names.
pub fn en_numbers(text: &str) -> Vec<Value> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut words: Vec<(String, bool)> = Vec::new(); // (lowercase word, capitalised)
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = ascii_digit(c) {
            flush_words(&mut words, &mut out);
            let (v, next) = read_arabic(&chars, i, d);
            out.push(v);
            i = next;
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            words.push((word.to_lowercase(), c.is_uppercase()));
        } else {
            // Hyphens and single spaces keep a number phrase together (forty-two, nine hundred).
            if !(c == '-' || c == ' ') {
                flush_words(&mut words, &mut out);
            }
            i += 1;
        }
    }
    flush_words(&mut words, &mut out);
    out
}

/// Reads the number phrases and month names out of a run of words, then empties it.
fn flush_words(words: &mut Vec<(String, bool)>, out: &mut Vec<Value>) {
    let mut k = 0;
    while k < words.len() {
        let (w, cap) = (&words[k].0, words[k].1);
        // "May" and "March" are verbs too: month names count only capitalised mid-sentence.
        if let Some(m) = MONTHS
            .iter()
            .position(|m| cap && k > 0 && m.eq_ignore_ascii_case(w))
        {
            out.push(scaled((m + 1) as f64));
        }
        let mut total = 0u64;
        let mut current = 0u64;
        let mut used = 0;
        let mut j = k;
        while j < words.len() {
            let w = words[j].0.as_str();
            if let Some(&(_, v)) = EN_SMALL.iter().find(|(s, _)| *s == w) {
                current += v;
            } else if let Some(&(_, v)) = EN_SCALE.iter().find(|(s, _)| *s == w) {
                if v == 100 {
                    current = current.max(1) * 100;
                } else {
                    total += current.max(1) * v;
                    current = 0;
                }
            } else if w == "and"
                && used > 0
                && j + 1 < words.len()
                && is_number_word(&words[j + 1].0)
            {
                // nine hundred and thirty
            } else {
                break;
            }
            used += 1;
            j += 1;
        }
        if used > 0 {
            // A lone "one" is mostly a pronoun ("no one", "one of them").
            if !(used == 1 && words[k].0 == "one") {
                out.push(scaled((total + current) as f64));
            }
            k = j;
        } else {
            k += 1;
        }
    }
    words.clear();
}

fn is_number_word(w: &str) -> bool {
    EN_SMALL.iter().any(|(s, _)| *s == w) || EN_SCALE.iter().any(|(s, _)| *s == w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[f64]) -> Vec<Value> {
        xs.iter().map(|&x| scaled(x)).collect()
    }

    #[test]
    fn chinese_numerals_and_dates() {
        assert_eq!(zh_numbers("二〇二三年八月"), v(&[2023.0, 8.0]));
        assert_eq!(zh_numbers("2023年8月"), v(&[2023.0, 8.0]));
        assert_eq!(zh_numbers("他工作了十五年"), v(&[15.0]));
        assert_eq!(zh_numbers("增长了百分之五"), v(&[5.0]));
        assert_eq!(zh_numbers("共九百三十岁"), v(&[930.0]));
        assert_eq!(zh_numbers("两万三千人"), v(&[23000.0]));
        assert_eq!(zh_numbers("三亿五千万"), v(&[350_000_000.0]));
        assert_eq!(zh_numbers("第三章"), v(&[3.0]));
        assert_eq!(zh_numbers("GDP增长3.5%，达到1,200亿"), v(&[3.5, 1200.0]));
    }

    #[test]
    fn chinese_words_that_are_not_numbers() {
        for text in ["一些人", "一样", "万一出事", "千万不要", "万物", "一一道来"]
        {
            assert!(zh_numbers(text).is_empty(), "{text}");
        }
        assert!(zh_numbers("他十分高兴").is_empty());
    }

    #[test]
    fn english_numbers() {
        assert_eq!(en_numbers("in August 2023"), v(&[8.0, 2023.0]));
        assert_eq!(en_numbers("for 15 years"), v(&[15.0]));
        assert_eq!(en_numbers("up 5% to 1,200.5"), v(&[5.0, 1200.5]));
        assert_eq!(en_numbers("nine hundred and thirty years"), v(&[930.0]));
        assert_eq!(en_numbers("forty-two men and seven women"), v(&[42.0, 7.0]));
        assert_eq!(en_numbers("two thousand three hundred"), v(&[2300.0]));
        assert!(en_numbers("No one may go. March on, one of them said").is_empty());
    }
}
