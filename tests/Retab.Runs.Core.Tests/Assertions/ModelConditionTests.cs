using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>
/// The conditions that go through <see cref="IAssertionModel"/>: llm_judged_as, llm_not_judged_as and
/// similarity_gte with method embeddings. The fake model "matches" when the value's JSON contains the rubric.
/// </summary>
public sealed class ModelConditionTests
{
    private static string Judged(string rubric, string? label = null) =>
        J($"{{'kind':'llm_judged_as','rubric':'{rubric}'{(label is null ? "" : $",'expected_label':'{label}'")}}}");

    private static string Embeddings(double threshold) =>
        J($"{{'kind':'similarity_gte','reference':'ACME Corporation','threshold':{threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)},'method':'embeddings'}}");

    private static IAssertionModel? Model(string name) => name switch
    {
        "none" => null,
        "fake" => new FakeAssertionModel { Similarity = 0.9 },
        "throws" => new FakeAssertionModel { Throws = new HttpRequestException("503 from the model endpoint") },
        _ => throw new ArgumentException(name),
    };

    /// <summary>Rows: condition, data, path, expectation, model ("none", "fake", "throws").</summary>
    public static TheoryData<string, string, string?, string, string> LlmJudgedAsCases => new()
    {
        { Judged("acme"), "\"ACME Corp\"", null, "passed", "fake" },
        { Judged("acme"), "\"Globex\"", null, "failed", "fake" },
        { Judged("acme"), J("{'vendor':'Acme'}"), null, "passed", "fake" },
        { Judged("acme"), J("{'vendor':'Acme'}"), "vendor", "passed", "fake" },
        { Judged("acme", "vendor_ok"), "[1,\"acme\"]", null, "passed", "fake" },
        { Judged("null"), "null", null, "passed", "fake" },
        { Judged("x"), "\"\"", null, "failed", "fake" },
        { Judged("générale"), "\"Société Générale\"", null, "passed", "fake" },
        { Judged("42"), "41", null, "failed", "fake" },
        { Judged("acme"), "\"ACME\"", null, "blocked:model_unavailable", "none" },
        { Judged("acme"), "\"ACME\"", null, "blocked:model_error", "throws" },
        { Judged("acme"), "{}", "vendor", "blocked:path_not_found", "fake" },
        // Absent is checked before the model: the path problem is what needs fixing.
        { Judged("acme"), "{}", "vendor", "blocked:path_not_found", "none" },
        { J("{'kind':'llm_judged_as','rubric':''}"), "\"a\"", null, "blocked:invalid_condition", "fake" },
        { J("{'kind':'llm_judged_as','rubric':5}"), "\"a\"", null, "blocked:invalid_condition", "fake" },
    };

    public static TheoryData<string, string, string?, string, string> LlmNotJudgedAsCases
    {
        get
        {
            var rows = new TheoryData<string, string, string?, string, string>();
            foreach (var row in LlmJudgedAsCases)
            {
                var expect = (string)row[3] switch { "passed" => "failed", "failed" => "passed", var other => other };
                rows.Add(((string)row[0]).Replace("llm_judged_as", "llm_not_judged_as", StringComparison.Ordinal), (string)row[1], (string?)row[2], expect, (string)row[4]);
            }
            return rows;
        }
    }

    public static TheoryData<string, string, string?, string, string> EmbeddingsCases => new()
    {
        { Embeddings(0.8), "\"Acme Corp.\"", null, "passed", "fake" },
        { Embeddings(0.9), "\"Acme Corp.\"", null, "passed", "fake" },
        { Embeddings(0.95), "\"Acme Corp.\"", null, "failed", "fake" },
        { Embeddings(1), "\"\"", null, "failed", "fake" },
        { Embeddings(0), J("{'a':1}"), null, "passed", "fake" },
        { Embeddings(0.5), "\"Acme\"", null, "blocked:model_unavailable", "none" },
        { Embeddings(0.5), "\"Acme\"", null, "blocked:model_error", "throws" },
        { Embeddings(0.5), "{}", "name", "blocked:path_not_found", "fake" },
        { Embeddings(0.5), NoHandle, null, "blocked:path_not_found", "none" },
        { J("{'kind':'similarity_gte','reference':'a','threshold':0.5,'method':'cosine'}"), "\"a\"", null, "blocked:invalid_condition", "fake" },
    };

    [Theory, MemberData(nameof(LlmJudgedAsCases))]
    public Task Llm_judged_as_evaluates(string condition, string data, string? path, string expect, string model) =>
        AssertOutcomeAsync(condition, data, path, expect, Model(model));

    [Theory, MemberData(nameof(LlmNotJudgedAsCases))]
    public Task Llm_not_judged_as_evaluates(string condition, string data, string? path, string expect, string model) =>
        AssertOutcomeAsync(condition, data, path, expect, Model(model));

    [Theory, MemberData(nameof(EmbeddingsCases))]
    public Task Similarity_with_embeddings_evaluates(string condition, string data, string? path, string expect, string model) =>
        AssertOutcomeAsync(condition, data, path, expect, Model(model));

    [Fact]
    public async Task Judge_receives_rubric_value_and_expected_label()
    {
        var model = new FakeAssertionModel();
        await EvaluateAsync(Judged("acme", "vendor_ok"), J("{'vendor':{'name':'Acme'}}"), "vendor", model);

        var call = Assert.Single(model.JudgeCalls);
        Assert.Equal("acme", call.Rubric);
        Assert.Equal("{\"name\":\"Acme\"}", call.Value);
        Assert.Equal("vendor_ok", call.ExpectedLabel);
    }

    [Fact]
    public async Task Judgement_label_and_explanation_are_in_the_failure_details()
    {
        var result = await EvaluateAsync(Judged("acme"), "\"Globex\"", model: new FakeAssertionModel());
        Assert.Equal("other", (string?)result.Failure!.Details!["label"]);
        Assert.Equal("looked for 'acme'", (string?)result.Failure.Details["explanation"]);
    }

    [Fact]
    public async Task Embeddings_result_reports_model_score_threshold_and_metric()
    {
        var model = new FakeAssertionModel { Similarity = 0.87 };
        var result = await EvaluateAsync(Embeddings(0.8), J("{'vendor':'Acme Corp.'}"), "vendor", model);

        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal(0.87, result.Score);
        Assert.Equal(0.8, result.Threshold);
        Assert.Equal("embeddings", result.MetricKind);
        Assert.Equal(("Acme Corp.", "ACME Corporation"), Assert.Single(model.EmbeddingCalls));
    }

    [Fact]
    public async Task Model_not_called_without_a_model_and_never_a_silent_pass()
    {
        foreach (var kind in new[] { "llm_judged_as", "llm_not_judged_as" })
        {
            var result = await EvaluateAsync(J($"{{'kind':'{kind}','rubric':'anything'}}"), "\"x\"");
            Assert.Equal(AssertionOutcome.Blocked, result.Outcome);
            Assert.Equal(AssertionFailureCodes.ModelUnavailable, result.Failure!.Code);
        }
    }

    [Fact]
    public async Task Cancellation_from_the_caller_is_not_turned_into_a_result()
    {
        using var cancellation = new CancellationTokenSource();
        var model = new CancellingModel(cancellation);
        var engine = new AssertionEngine(model);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            engine.EvaluateAsync(Assertion(Judged("acme")), Outputs("\"acme\""), cancellation.Token));
    }

    /// <summary>Cancels the caller's token during the call, as a shutdown would.</summary>
    private sealed class CancellingModel(CancellationTokenSource cancellation) : IAssertionModel
    {
        public Task<LlmJudgement> JudgeAsync(string rubric, System.Text.Json.Nodes.JsonNode? value, string? expectedLabel, CancellationToken cancellationToken)
        {
            cancellation.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(new LlmJudgement(true, null, null));
        }

        public Task<double> EmbeddingSimilarityAsync(string text, string reference, CancellationToken cancellationToken) => Task.FromResult(1.0);
    }
}
