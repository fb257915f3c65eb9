using Retab.Runs.Core.Runs;
using Retab.Runs.Integration.Tests.Infrastructure;
using Xunit.Sdk;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// What every fault scenario checks once its run is terminal, gathered rather than stopped at the first miss, so one
/// failing scenario tells everything that went wrong: the status and exact counts, every result exactly once, the
/// counts recounted from the result rows, no <c>worker_lost</c>, and exactly one announcement (<c>TestRunCompleted</c>,
/// one MassTransit message id however often it was delivered) that agrees with the run.
/// </summary>
public sealed class RunAudit
{
    private static readonly string[] SlotStatuses = ["queued", "running", "completed", "error", "cancelled"];
    private static readonly string[] Verdicts = ["passed", "failed", "blocked"];

    private readonly List<string> _countProblems = [];
    private readonly List<string> _otherProblems = [];

    /// <summary>Status, counts and rows all as expected: the "counts exact" column of the fault table.</summary>
    public bool CountsExact => _countProblems.Count == 0;

    public IEnumerable<string> Problems => _countProblems.Concat(_otherProblems);

    public void Add(string problem) => _otherProblems.Add(problem);

    public static RunAudit Of(JsonNode run, IReadOnlyList<JsonNode> rows, IEnumerable<TappedMessage> completions, ExpectedRun expected)
    {
        var audit = new RunAudit();
        audit.CheckRun(run, expected);
        audit.CheckRows(run, rows, expected.Total);
        audit.CheckAnnouncement(run, completions.Where(m => m.RunId == Id(run)).ToList());
        return audit;
    }

    /// <summary>A run read again later must not have moved: a late or duplicated event changed a finished run.</summary>
    public void CheckUnchanged(JsonNode terminal, JsonNode later)
    {
        if (RunInvariants.Status(later) != RunInvariants.Status(terminal) || !JsonNode.DeepEquals(terminal["counts"], later["counts"]))
            _countProblems.Add($"the run changed after it was terminal: {Describe(terminal)} became {Describe(later)}");
    }

    private void CheckRun(JsonNode run, ExpectedRun expected)
    {
        if (RunInvariants.Status(run) != expected.Status)
            _countProblems.Add($"status '{RunInvariants.Status(run)}', expected '{expected.Status}'{ErrorOf(run)}");
        try
        {
            RunInvariants.Check(run);
        }
        catch (XunitException broken)
        {
            _countProblems.Add($"count invariants broken: {broken.Message}");
        }
        var counts = run["counts"]!;
        Expect("total_tests", run["total_tests"]!.GetValue<int>(), expected.Total);
        Expect("passed", Count(counts, "passed"), expected.Passed);
        Expect("failed", Count(counts, "failed"), expected.Failed);
        Expect("blocked", Count(counts, "blocked"), expected.Blocked);
        Expect("error", Count(counts, "error"), expected.Error);
        Expect("cancelled", Count(counts, "cancelled"), expected.Cancelled);
        Expect("queued", Count(counts, "queued"), 0);
        Expect("running", Count(counts, "running"), 0);
    }

    private void CheckRows(JsonNode run, IReadOnlyList<JsonNode> rows, int total)
    {
        var distinctTests = rows.Select(r => r["test_id"]!.GetValue<string>()).Distinct().Count();
        if (rows.Count != total || distinctTests != total)
            _countProblems.Add($"{rows.Count} result rows for {distinctTests} distinct tests, expected exactly one row for each of {total}");

        var counts = run["counts"]!;
        var byStatus = rows.GroupBy(r => r["lifecycle"]!["status"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        foreach (var status in SlotStatuses)
        {
            var shown = status == "completed" ? counts["lifecycle_counts"]!["completed"]!.GetValue<int>() : Count(counts, status);
            if (byStatus.GetValueOrDefault(status) != shown)
                _countProblems.Add($"rows in '{status}': {byStatus.GetValueOrDefault(status)}, the run says {shown}");
        }
        foreach (var verdict in Verdicts)
        {
            var recounted = rows.Count(r => r["lifecycle"]!["status"]!.GetValue<string>() == "completed" && r["verdict"]?.GetValue<string>() == verdict);
            if (recounted != Count(counts, verdict))
                _countProblems.Add($"completed rows '{verdict}': {recounted}, the run says {Count(counts, verdict)}");
        }

        var lost = rows.Where(r => ErrorCode(r) == RunErrorCodes.WorkerLost).ToList();
        if (lost.Count > 0)
            _otherProblems.Add($"{lost.Count} result(s) ended in {RunErrorCodes.WorkerLost}, e.g. {lost[0]["test_id"]}: {lost[0]["lifecycle"]!["message"]}");
        var errors = rows.Where(r => ErrorCode(r) is { } code && code != RunErrorCodes.WorkerLost).GroupBy(ErrorCode).ToList();
        if (errors.Count > 0)
            _otherProblems.Add("results in error: " + string.Join(", ", errors.Select(g => $"{g.Key}×{g.Count()} (e.g. {g.First()["lifecycle"]!["message"]})")));
    }

    private void CheckAnnouncement(JsonNode run, IReadOnlyList<TappedMessage> copies)
    {
        if (copies.Count == 0)
        {
            _otherProblems.Add("no TestRunCompleted was published for the run");
            return;
        }
        var ids = copies.Select(c => c.MessageId).Distinct().ToList();
        if (ids.Count != 1)
            _otherProblems.Add($"TestRunCompleted was announced under {ids.Count} different message ids ({copies.Count} deliveries): " +
                               string.Join(", ", copies.Select(c => $"{c.MessageId} (heard {c.HeardAt:HH:mm:ss.fff}, status {c.Message["status"]})")));
        foreach (var copy in copies.DistinctBy(c => c.MessageId))
        {
            var said = copy.Message;
            if (said["status"]?.GetValue<string>() != RunInvariants.Status(run))
                _otherProblems.Add($"TestRunCompleted {copy.MessageId} says status '{said["status"]}', the run is '{RunInvariants.Status(run)}'");
            var announced = said["counts"]!;
            foreach (var (field, shown) in new[] { ("passed", "passed"), ("failed", "failed"), ("error", "error"), ("cancelled", "cancelled") })
            {
                if (announced[field]!.GetValue<int>() != Count(run["counts"]!, shown))
                    _otherProblems.Add($"TestRunCompleted {copy.MessageId} says {field}={announced[field]}, the run says {Count(run["counts"]!, shown)}");
            }
        }
    }

    private void Expect(string what, int actual, int? expected)
    {
        if (expected is { } value && actual != value)
            _countProblems.Add($"{what} = {actual}, expected {value}");
    }

    private static string Id(JsonNode run) => run["id"]!.GetValue<string>();

    private static int Count(JsonNode counts, string name) => counts[name]!.GetValue<int>();

    /// <summary>Tests that reached a terminal slot (completed, error or cancelled).</summary>
    public static int Finished(JsonNode run)
    {
        var lifecycle = run["counts"]!["lifecycle_counts"]!;
        return lifecycle["completed"]!.GetValue<int>() + lifecycle["error"]!.GetValue<int>() + lifecycle["cancelled"]!.GetValue<int>();
    }

    /// <summary>One line: status and the counts, for messages and the test output.</summary>
    public static string Describe(JsonNode run)
    {
        var c = run["counts"]!;
        return $"{RunInvariants.Status(run)} (total {run["total_tests"]}: queued {c["queued"]}, running {c["running"]}, passed {c["passed"]}, " +
               $"failed {c["failed"]}, blocked {c["blocked"]}, error {c["error"]}, cancelled {c["cancelled"]})";
    }

    private static string? ErrorCode(JsonNode row) => row["lifecycle"]!["details"]?["error_code"]?.GetValue<string>();

    private static string ErrorOf(JsonNode run) => run["lifecycle"]!["message"] is { } message ? $": {message}" : "";
}
