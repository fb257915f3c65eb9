using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Retab.Runs.Core.Observability;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests.Observability;

/// <summary>
/// One run, one trace: from the HTTP request that creates it through the fan-out, each test's execution (with its block
/// and assertion) and back to the announcement of its end, every span sharing the trace id and naming the run. The test
/// subscribes its own tracer (as an exporter would) to the sources the services use.
/// </summary>
public sealed class RunTraceTests : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _tracer;
    private readonly StandaloneHost _host;

    public RunTraceTests()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(RunsDiagnostics.Name, "MassTransit")
            .AddAspNetCoreInstrumentation()
            .AddInMemoryExporter(_spans)
            .Build();
        _host = new StandaloneHost();
    }

    [Fact]
    public async Task A_run_of_three_tests_is_one_trace_from_the_request_to_its_end_with_the_run_id_on_its_spans()
    {
        var api = _host.Client();
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 1; i <= 3; i++)
            await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));

        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId);

        var post = await Find(() => Spans().SingleOrDefault(s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("http.request.method") as string == "POST" && Tag(s, RunsTags.RunId) == runId));
        var trace = await Find(() =>
        {
            var spans = Spans().Where(s => s.TraceId == post.TraceId).ToList();
            return spans.Any(IsCompletion) ? spans : null;
        });
        var described = string.Join("\n", trace.Select(s => $"{s.DisplayName} [{s.Source.Name}] {string.Join(", ", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"));

        Assert.Contains(trace, s => s.DisplayName == "fan-out" && Tag(s, RunsTags.RunId) == runId);
        var executions = trace.Where(s => s.Kind == ActivityKind.Consumer && Tag(s, RunsTags.TestId) is not null && s.Children(trace).Any(c => c.DisplayName == "block function")).ToList();
        Assert.True(executions.Count == 3, described);
        Assert.All(executions, execution =>
        {
            Assert.Equal(runId, Tag(execution, RunsTags.RunId));
            Assert.Equal("passed", Tag(execution, RunsTags.Verdict));
            Assert.Single(execution.Children(trace), c => c.DisplayName == "block function");
            Assert.Single(execution.Children(trace), c => c.DisplayName == "assertion");
        });
        Assert.Equal(3, executions.Select(e => Tag(e, RunsTags.TestId)).Distinct().Count());
        Assert.Contains(trace, IsCompletion);
        Assert.Contains(trace, s => s.Kind == ActivityKind.Consumer && Tag(s, RunsTags.RunId) == runId && Tag(s, RunsTags.WorkflowId) == workflowId);
    }

    /// <summary>The announcement of the run's end: the send of <c>TestRunCompleted</c>.</summary>
    private static bool IsCompletion(Activity span) =>
        span.Kind == ActivityKind.Producer && span.TagObjects.Any(t => t.Value is string value && value.Contains("TestRunCompleted", StringComparison.Ordinal));

    private static Task<T> Find<T>(Func<T?> find) where T : class => Eventually.FindAsync(find, TimeSpan.FromSeconds(30), "the spans");

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private List<Activity> Spans()
    {
        lock (_spans)
            return _spans.ToArray().Where(s => s is not null).ToList();
    }

    public void Dispose()
    {
        _host.Dispose();
        _tracer.Dispose();
    }
}

internal static class SpanTree
{
    public static IEnumerable<Activity> Children(this Activity parent, IEnumerable<Activity> spans) =>
        spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId);
}
