//! One-to-many mappings in running text: the places where greedy longest matching goes wrong.
//! Each case states what a careful editor writes; the OpenCC-exact column is what OpenCC prints,
//! kept to show what the word-aware default fixes.

use duizhao_convert::{Config, Converter, Segmentation};

/// (Simplified source, correct s2t, OpenCC's s2t)
const TRAPS: &[(&str, &str, &str)] = &[
    // A phrase across a word boundary: 头发 in 头|发生, 乱发 in 动乱|发生, 人参 in 齐国人|参加.
    ("日头发生日食", "日頭發生日食", "日頭髮生日食"),
    ("动乱发生", "動亂發生", "動亂髮生"),
    ("齐国人参加会盟", "齊國人參加會盟", "齊國人蔘加會盟"),
    ("陈生发怒", "陳生發怒", "陳生髮怒"),
    ("三分之一出走", "三分之一出走", "三分之一齣走"),
    ("至多只能杀死我们", "至多只能殺死我們", "至多隻能殺死我們"),
    ("君王后悔莫及", "君王後悔莫及", "君王后悔莫及"),
    ("取名表示决心", "取名表示決心", "取名錶示決心"),
    ("要尽自己的职责", "要盡自己的職責", "要儘自己的職責"),
    ("子南回答说", "子南回答說", "子南迴答說"),
    ("白面孔", "白面孔", "白麪孔"),
    ("上下周旋", "上下周旋", "上下週旋"),
    ("商、周三代的兴衰", "商、周三代的興衰", "商、週三代的興衰"),
    // 一别 converts as its characters do, but 别扭 (彆扭) starts inside it: still re-read.
    (
        "他说话一别扭就脸红",
        "他說話一彆扭就臉紅",
        "他說話一別扭就臉紅",
    ),
    // The phrases 白胡椒 and 冬季世界 convert as their characters do, but 胡椒面 (胡椒麪) and
    // 世界杯 (世界盃), which do not, begin inside them and run past their end: still re-read.
    ("汤里撒了白胡椒面", "湯裏撒了白胡椒麪", "湯裏撒了白胡椒面"),
    ("冬季世界杯的比赛", "冬季世界盃的比賽", "冬季世界杯的比賽"),
    // Where greedy matching is already right, the word-aware mode must not break it.
    ("他的头发生出白丝", "他的頭髮生出白絲", "他的頭髮生出白絲"),
    ("茶几周围", "茶几周圍", "茶几周圍"),
    ("周线图", "週線圖", "週線圖"),
    (
        "发展 头发 理发师 出发",
        "發展 頭髮 理髮師 出發",
        "發展 頭髮 理髮師 出發",
    ),
    (
        "干杯 干部 干净 晒干 树干 他说干就干",
        "乾杯 幹部 乾淨 曬乾 樹幹 他說幹就幹",
        "乾杯 幹部 乾淨 曬乾 樹幹 他說幹就幹",
    ),
    (
        "以后 皇后 太后面前",
        "以後 皇后 太后面前",
        "以後 皇后 太后面前",
    ),
    (
        "这个村里面积很大 她在家里面包饺子",
        "這個村裏面積很大 她在家裏麪包餃子",
        "這個村裏面積很大 她在家裏麪包餃子",
    ),
    ("方面 面条", "方面 麪條", "方面 麪條"),
    ("关系 系统 系鞋带", "關係 系統 繫鞋帶", "關係 系統 繫鞋帶"),
    (
        "一台电脑 台风 舞台",
        "一臺電腦 颱風 舞臺",
        "一臺電腦 颱風 舞臺",
    ),
    ("只是 一只手", "只是 一隻手", "只是 一隻手"),
    ("钟表 钟先生", "鐘錶 鍾先生", "鐘錶 鍾先生"),
    (
        "准备 批准 准时出发",
        "準備 批准 準時出發",
        "準備 批准 準時出發",
    ),
    ("云南 人云亦云", "雲南 人云亦云", "雲南 人云亦云"),
    ("松树 放松", "松樹 放鬆", "松樹 放鬆"),
    ("斗争 北斗", "鬥爭 北斗", "鬥爭 北斗"),
    ("历史 日历", "歷史 日曆", "歷史 日曆"),
    (
        "复习 复杂 答复 恢复",
        "複習 複雜 答覆 恢復",
        "複習 複雜 答覆 恢復",
    ),
];

/// Where the word-aware mode is wrong and OpenCC right: (source, ours, right). Kept so that a
/// fix shows up. 三座|钟 splits the phrase 座钟 and the lone 钟 takes OpenCC's first
/// candidate, 鍾.
const KNOWN_REGRESSIONS: &[(&str, &str, &str)] =
    &[("它铸造了三座钟", "它鑄造了三座鍾", "它鑄造了三座鐘")];

#[test]
fn known_regressions_are_still_what_we_print() {
    let conv = Converter::new(Config::S2t);
    let exact = Converter::builder(Config::S2t)
        .segmentation(Segmentation::OpenccExact)
        .build();
    for (src, ours, right) in KNOWN_REGRESSIONS {
        assert_eq!(&conv.convert(src), ours, "{src}: fixed? move it to TRAPS");
        assert_eq!(&exact.convert(src), right, "{src}");
    }
}

#[test]
fn traps_word_mode_is_right() {
    let conv = Converter::new(Config::S2t);
    for (src, right, _) in TRAPS {
        assert_eq!(&conv.convert(src), right, "{src}");
    }
}

#[test]
fn traps_exact_mode_reproduces_opencc() {
    let conv = Converter::builder(Config::S2t)
        .segmentation(Segmentation::OpenccExact)
        .build();
    for (src, _, opencc) in TRAPS {
        assert_eq!(&conv.convert(src), opencc, "{src}");
    }
}

#[test]
fn zh_hant_edition_uses_taiwan_forms_without_vocabulary_change() {
    let s2tw = Converter::new(
        Config::between(duizhao_convert::Variant::Hans, duizhao_convert::Variant::Tw).unwrap(),
    );
    assert_eq!(s2tw.config(), Config::S2tw);
    assert_eq!(s2tw.convert("为了大众的软件"), "為了大眾的軟件");
    let s2twp = Converter::new(Config::S2twp);
    assert_eq!(s2twp.convert("为了大众的软件"), "為了大眾的軟體");
}

/// In the chains, a phrase of the later step (Taiwan vocabulary: 的士 "taxi") is weighed
/// against the words around it like the first step's: OpenCC takes 的士 inside 他的|士兵. And
/// it is only looked for within the first step's pieces, as OpenCC does: 低级 ("low-grade")
/// is not taken inside 最高|级别.
#[test]
fn chains_weigh_the_later_steps_phrases_against_words() {
    let exact = Converter::builder(Config::S2twp)
        .segmentation(Segmentation::OpenccExact)
        .build();
    for (src, right, opencc) in [
        ("他的士兵都来了", "他的士兵都來了", "他計程車兵都來了"),
        ("大臣中的最高级别", "大臣中的最高級別", "大臣中的最高級別"),
        ("坐的士回家", "坐計程車回家", "坐計程車回家"),
        // Words that begin before the later step's phrase count too (目的, with no word
        // crossing the end of 的士 to tell).
        ("这是有目的士", "這是有目的士", "這是有目計程車"),
        ("他在旁边敲打印章", "他在旁邊敲打印章", "他在旁邊敲列印章"),
        // A Taiwan phrase spelt in both scripts at once.
        ("数據库和數据庫", "資料庫和資料庫", "資料庫和資料庫"),
    ] {
        assert_eq!(Converter::new(Config::S2twp).convert(src), right, "{src}");
        assert_eq!(exact.convert(src), opencc, "{src}");
    }
}
