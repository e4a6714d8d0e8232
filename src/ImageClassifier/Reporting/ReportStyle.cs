namespace ImageClassifier.Reporting;

/// <summary>The report's stylesheet, inline in the page so that it needs no other file.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { color-scheme: light; }
        body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #1f2328; background: #f6f8fa; margin: 0; line-height: 1.45; }
        header { background: #24292f; color: #fff; padding: 18px 32px; }
        header h1 { margin: 0; font-size: 24px; }
        header p { margin: 4px 0 0; color: #d0d7de; }
        nav { padding: 8px 32px; background: #fff; border-bottom: 1px solid #d0d7de; }
        nav a { margin-right: 16px; color: #0969da; text-decoration: none; }
        main { padding: 8px 32px 32px; max-width: 1560px; }
        section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 20px 20px; margin: 20px 0; }
        h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 6px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; }
        .card { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 16px; min-width: 150px; background: #f6f8fa; }
        .card .value { font-size: 24px; font-weight: bold; }
        .card .name { color: #57606a; }
        .row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        table { border-collapse: collapse; margin: 8px 0; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
        th { background: #f6f8fa; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        img { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
        .diagram svg { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
        .note { color: #57606a; font-style: italic; }
        .warning { color: #9a6700; }
        .tiles { display: flex; flex-wrap: wrap; gap: 10px; }
        .tile { margin: 0; width: 150px; font-size: 12px; word-break: break-all; }
        .tile img { width: 96px; image-rendering: pixelated; display: block; }
        .tile .path { color: #57606a; }
        .group { border-top: 1px solid #d0d7de; padding-top: 4px; }
        footer { color: #57606a; padding: 0 32px 24px; }
        """;
}
