using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Watching;

namespace Retab.Runs.Cli.Reports;

/// <summary>
/// A run as JUnit XML, the format CI servers read: one testsuite for the run, one testcase per test (classname = the
/// block). Failed and blocked tests are failures (type = verdict), tests in error are errors, cancelled ones skipped.
/// </summary>
public static class JUnitReport
{
    public static XDocument Build(JsonObject run, IReadOnlyList<ResultRow> rows)
    {
        var progress = RunProgress.From(run);
        var suite = new XElement("testsuite",
            new XAttribute("name", progress.RunId),
            new XAttribute("id", progress.RunId),
            new XAttribute("tests", rows.Count),
            new XAttribute("failures", rows.Count(row => row.Verdict is "failed" or "blocked")),
            new XAttribute("errors", rows.Count(row => row.Verdict is null && row.Lifecycle == "error")),
            new XAttribute("skipped", rows.Count(row => row.Verdict is null && row.Lifecycle == "cancelled")),
            new XAttribute("time", Seconds(run.Long("timing", "duration_ms"))));
        if ((run.Str("timing", "started_at") ?? run.Str("timing", "created_at")) is { } timestamp)
            suite.Add(new XAttribute("timestamp", timestamp));
        foreach (var row in rows)
            suite.Add(TestCase(row));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suite);
    }

    public static void Write(string path, JsonObject run, IReadOnlyList<ResultRow> rows)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        Build(run, rows).Save(path);
    }

    private static XElement TestCase(ResultRow row)
    {
        var testCase = new XElement("testcase",
            new XAttribute("name", row.TestName),
            new XAttribute("classname", row.BlockId),
            new XAttribute("time", Seconds(row.DurationMs)));
        if (row.Verdict is "failed" or "blocked")
            testCase.Add(new XElement("failure",
                new XAttribute("message", row.Message ?? $"{row.Verdict}{(row.Code is null ? "" : $": {row.Code}")}"),
                new XAttribute("type", row.Verdict),
                Details(row)));
        else if (row.Verdict is null && row.Lifecycle == "error")
            testCase.Add(new XElement("error",
                new XAttribute("message", row.Message ?? "error"),
                new XAttribute("type", row.Code ?? "error"),
                Details(row)));
        else if (row.Verdict is null && row.Lifecycle == "cancelled")
            testCase.Add(new XElement("skipped", row.Message is null ? null : new XAttribute("message", row.Message)));
        return testCase;
    }

    private static string Details(ResultRow row)
    {
        var lines = new List<string>();
        if (row.Code is not null)
            lines.Add($"code: {row.Code}");
        if (row.Message is not null)
            lines.Add($"message: {row.Message}");
        if (row.Expected is not null)
            lines.Add($"expected: {row.Expected}");
        if (row.Actual is not null)
            lines.Add($"actual: {row.Actual}");
        return string.Join('\n', lines);
    }

    private static string Seconds(long? milliseconds) =>
        ((milliseconds ?? 0) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
}
