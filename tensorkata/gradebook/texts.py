"""The batch command's own words, in English and Japanese."""

from tensorkata.i18n import Text

TEXTS = {
    "progress": Text("grading", "採点中"),
    "submission": Text("submission", "提出物"),
    "score": Text("score", "得点"),
    "status": Text("status", "状態"),
    "diagnoses": Text("top diagnoses", "主な診断"),
    "graded": Text("graded", "採点済み"),
    "unchanged": Text("unchanged (kept)", "変更なし (前回の結果)"),
    "unfinished": Text("unfinished", "未完了"),
    "error": Text("error: {error}", "エラー: {error}"),
    "title": Text("grade-batch: {directory} (seed {seed})", "一括採点: {directory} (シード {seed})"),
    "totals": Text(
        "{count} submissions: {graded} graded now, {kept} unchanged, {errors} with errors; "
        "mean {mean}/{max}; {seconds} s.",
        "提出物 {count} 件: 今回採点 {graded} 件、変更なし {kept} 件、エラー {errors} 件。"
        "平均 {mean}/{max} 点、{seconds} 秒。",
    ),
    "gradebook": Text("Gradebook: {db}", "成績簿: {db}"),
    "ignored": Text("Ignored (not a submission): {names}", "提出物ではないため無視: {names}"),
    "none": Text("No submissions found in {directory}.", "{directory} に提出物が見つかりません。"),
    "csv": Text("CSV written: {path}", "CSV を書き出しました: {path}"),
}


def say(key: str, lang: str, **params) -> str:
    return TEXTS[key](lang).format(**params)
